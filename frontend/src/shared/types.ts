// The payload types the SPA uses, from the schema generated out of the server's OpenAPI
// document (api-schema.d.ts; regenerate with `npm run types:generate`).
//
// Narrowed here: the server always sends its nullable fields (as null when empty), but
// the document lists them as optional; `Always` makes them required again so pages do
// not have to handle `undefined` as well as `null`.
import type { components } from "./api-schema";

type Schemas = components["schemas"];

/** T with the keys K always present (their value may still be null). */
type Always<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: Exclude<T[P], undefined> };

export type BillingPeriod = Schemas["BillingPeriod"];
export type ProductType = Schemas["ProductType"];
export type OrderStatus = Schemas["OrderStatus"];
export type PublicPrice = Schemas["PublicPrice"];
export type PublicAsset = Schemas["PublicAsset"];
export type ServiceOffer = Schemas["ServiceOffer"];

export type ProductListItem = Always<Schemas["ProductList"], "active_price">;
export type ProductDetail = ProductListItem &
  Always<Omit<Schemas["ProductDetail"], keyof Schemas["ProductList"]>, "service_offer">;

export type OrderItem = Always<Schemas["OrderItem"], "price">;
export type Order = Omit<Always<Schemas["Order"], "paid_at" | "fulfilled_at">, "items"> & { items: OrderItem[] };
export type CreateOrderInput = Schemas["CreateOrder"];
export type CreateOrderResult = Omit<Schemas["CreatedOrderView"], "order"> & { order: Order };

export type DownloadGrant = Always<Schemas["DownloadGrant"], "expires_at" | "last_downloaded_at">;
export type DownloadAccess = Omit<Schemas["DownloadAccess"], "grant"> & { grant: DownloadGrant };

export type WorkOrder = Always<
  Schemas["WorkOrder"],
  | "order_item"
  | "product"
  | "product_name"
  | "due_at"
  | "completed_at"
  | "shipped_at"
  | "download_grant"
  | "download_token"
>;

export type CustomerAccount = Schemas["CustomerAccount"];
/** The profile form's fields (PATCH account/customer/ accepts any subset). */
export type CustomerAccountPatch = Partial<
  Pick<CustomerAccount, "billing_email" | "full_name" | "company_name" | "country" | "tax_id">
>;
export type Profile = Schemas["Profile"];
export type Me = Always<Schemas["Me"], "org_id">;

export type DevSessionInput = Schemas["DevSessionInput"];
export type DevSession = Schemas["DevSession"];
