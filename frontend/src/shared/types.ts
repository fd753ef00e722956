// Payload types the SPA uses. Interim: written by hand from spec/API.md until the
// generated OpenAPI schema (api-schema.d.ts) is available.

export type BillingPeriod = "one_time" | "monthly" | "yearly";
export type ProductType = "digital" | "service";
export type OrderStatus = "draft" | "pending_payment" | "paid" | "fulfilled" | "canceled" | "refunded";

export interface PublicPrice {
  id: number;
  name: string;
  amount_cents: number;
  amount: string;
  currency: string;
  billing_period: BillingPeriod;
  is_default: boolean;
}

export interface ProductListItem {
  id: number;
  name: string;
  slug: string;
  tagline: string;
  description: string;
  product_type: ProductType;
  visibility: "draft" | "published" | "archived";
  feature_keys: string[];
  active_price: PublicPrice | null;
  created_at: string;
  updated_at: string;
}

export interface PublicAsset {
  id: number;
  title: string;
  version_label: string;
  file_size_bytes: number;
}

export interface ServiceOffer {
  id: number;
  session_minutes: number;
  delivery_days: number;
  revision_count: number;
  onboarding_instructions: string;
  metadata: unknown;
}

export interface ProductDetail extends ProductListItem {
  prices: PublicPrice[];
  assets: PublicAsset[];
  service_offer: ServiceOffer | null;
  metadata: unknown;
}

export interface OrderItem {
  id: number;
  product: number;
  product_slug: string;
  product_type: ProductType;
  price: number | null;
  quantity: number;
  unit_amount_cents: number;
  total_amount_cents: number;
  product_name_snapshot: string;
  price_name_snapshot: string;
  metadata: unknown;
  created_at: string;
  updated_at: string;
}

export interface Order {
  id: number;
  public_id: string;
  status: OrderStatus;
  currency: string;
  subtotal_cents: number;
  tax_cents: number;
  total_cents: number;
  notes: string;
  clerk_checkout_id: string;
  external_reference: string;
  paid_at: string | null;
  fulfilled_at: string | null;
  items: OrderItem[];
  created_at: string;
  updated_at: string;
}

export interface CreateOrderInput {
  price_id: number;
  quantity?: number;
  notes?: string;
}

export interface CreateOrderResult {
  order: Order;
  checkout: { checkout_url: string; provider: string };
}

export interface DownloadGrant {
  id: number;
  token: string;
  asset: number;
  asset_title: string;
  product_name: string;
  order_item: number;
  expires_at: string | null;
  max_downloads: number;
  download_count: number;
  last_downloaded_at: string | null;
  is_active: boolean;
  can_download: boolean;
  created_at: string;
  updated_at: string;
}

export interface DownloadAccess {
  download_url: string;
  grant: DownloadGrant;
}

export interface WorkOrder {
  id: number;
  order_item: number | null;
  product: number | null;
  product_name: string | null;
  status: string;
  delivery_mode: string;
  customer_request: string;
  delivery_notes: string;
  due_at: string | null;
  completed_at: string | null;
  shipped_at: string | null;
  shipping_carrier: string;
  shipping_tracking_number: string;
  shipping_tracking_url: string;
  download_grant: number | null;
  download_token: string | null;
  download_ready: boolean;
  metadata: unknown;
  created_at: string;
  updated_at: string;
}

export interface CustomerAccount {
  id: number;
  profile: { id: number; clerk_user_id: string; email: string; first_name: string; last_name: string };
  external_customer_id: string;
  billing_email: string;
  full_name: string;
  company_name: string;
  country: string;
  tax_id: string;
  metadata: unknown;
  created_at: string;
  updated_at: string;
}

export type CustomerAccountPatch = Partial<
  Pick<CustomerAccount, "billing_email" | "full_name" | "company_name" | "country" | "tax_id">
>;

export interface Profile {
  id: number;
  clerk_user_id: string;
  email: string;
  first_name: string;
  last_name: string;
  image_url: string;
  plan_tier: string;
  billing_features: string[];
  is_active: boolean;
  metadata: unknown;
  created_at: string;
  updated_at: string;
}

export interface Me {
  clerk_user_id: string;
  email: string;
  org_id: string | null;
  billing_features: string[];
  profile: Profile;
  customer_account: CustomerAccount;
}

export interface DevSessionInput {
  user_id?: string;
  email?: string;
  first_name?: string;
  entitlements?: string[] | string;
}

export interface DevSession {
  token: string;
  expires_at: string;
}
