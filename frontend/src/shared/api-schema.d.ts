// Generated from the server's OpenAPI document by scripts/generate-types.mjs.
// Do not edit by hand: run `npm run types:generate` after changing the API.

export interface paths {
    "/api/account/bookings/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's work orders (legacy alias of account/orders/work/) */
        get: operations["list_bookings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/account/customer/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's customer account */
        get: operations["get_customer"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change the caller's billing details */
        patch: operations["patch_customer"];
        trace?: never;
    };
    "/api/account/downloads/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's download grants, newest first */
        get: operations["list_download_grants"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/account/downloads/{token}/access/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Use a grant: a signed download link, one download counted */
        post: operations["access_download"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/account/entitlements/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's entitlements by feature key (current ones unless ?current=false) */
        get: operations["list_entitlements"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/account/orders/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's orders, newest first */
        get: operations["list_orders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/account/orders/{public_id}/confirm/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirm a payment from the client (local development only)
         * @description Off by default and refused by `check --deploy`: in production only a verified Clerk webhook confirms a payment.
         */
        post: operations["confirm_order"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/account/orders/create/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a pending order at the server's price */
        post: operations["create_order"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/account/orders/work/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's work orders (service purchases), newest first */
        get: operations["list_work_orders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/account/preflight/email-test/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a test email to the caller's billing email
         * @description Sends one email through the configured transport at once (not through the outbox), to the billing email, else the profile's email. On success the time and recipient are kept in the account's metadata (`preflight_email_last_sent_at`, `preflight_email_last_recipient`). At most one test per account every 30 seconds: a sooner one is a 429 like the rate limiter's, with `Retry-After`.
         */
        post: operations["preflight_email_test"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/account/subscriptions/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's subscriptions, newest update first (never calls Clerk) */
        get: operations["list_subscriptions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/account/subscriptions/status/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How fresh the local copy of Clerk billing is; ?refresh=1 syncs first */
        get: operations["billing_sync_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ai/chat/complete/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A chat answer, charged to the tokens quota
         * @description Reserves the counted input plus `max_output_tokens` under a lock on the account before the provider is called, then settles to the usage the provider reports. A remote provider needs AI_PROVIDER_CALLS_ENABLED.
         */
        post: operations["complete_ai_chat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ai/images/generate/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Generated images, one unit of the images quota each */
        post: operations["generate_ai_images"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ai/providers/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The AI providers and whether this server can use each now */
        get: operations["list_ai_providers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ai/tokens/estimate/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Count tokens with OpenAI's encodings (nothing is charged)
         * @description Counts with o200k_base (cl100k_base for the GPT-4 and GPT-3.5 families), the model's provider prefix ignored; messages count as a chat: 4 per message + role + content (+ name - 1) + 2.
         */
        post: operations["estimate_ai_tokens"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ai/usage/summary/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Usage of the current billing cycle against the plan's limits */
        get: operations["ai_usage_summary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/billing/features/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's billing features, or whether one is enabled */
        get: operations["billing_features"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/dev/session/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in locally without Clerk (development only) */
        post: operations["create_dev_session"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/downloads/local/{path}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A file of the local asset storage, through a signed link
         * @description The links `account/downloads/{token}/access/` hands out when the asset storage is the embedded local folder; the signature is the credential.
         */
        get: operations["local_download"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/health/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller: claims, profile and customer account */
        get: operations["me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/me/clerk/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller as Clerk knows them (public fields only) */
        get: operations["clerk_user"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This API's OpenAPI 3.1 document */
        get: operations["openapi_document"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/products/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The public catalog: every published product, by name */
        get: operations["list_public_products"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/products/{slug}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One published product with its prices, assets and service offer */
        get: operations["get_public_product"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/profile/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's profile */
        get: operations["profile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's projects */
        get: operations["list_projects"];
        put?: never;
        /** Create a project */
        post: operations["create_project"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/projects/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One of the caller's projects */
        get: operations["get_project"];
        /** Replace a project (name required) */
        put: operations["put_project"];
        post?: never;
        /** Delete a project */
        delete: operations["delete_project"];
        options?: never;
        head?: never;
        /** Change some fields of a project */
        patch: operations["patch_project"];
        trace?: never;
    };
    "/api/ready/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: the database answers */
        get: operations["ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/seller/assets/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One asset */
        get: operations["get_asset"];
        /** Replace an asset (title and file path required) */
        put: operations["put_asset"];
        post?: never;
        /** Delete an asset */
        delete: operations["delete_asset"];
        options?: never;
        head?: never;
        /** Change some fields of an asset */
        patch: operations["patch_asset"];
        trace?: never;
    };
    "/api/seller/prices/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One price */
        get: operations["get_price"];
        /** Update a price (fields not sent keep their value) */
        put: operations["put_price"];
        post?: never;
        /** Delete a price */
        delete: operations["delete_price"];
        options?: never;
        head?: never;
        /** Change some fields of a price */
        patch: operations["patch_price"];
        trace?: never;
    };
    "/api/seller/products/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's products, with prices, assets and offer */
        get: operations["list_products"];
        put?: never;
        /** Create a product */
        post: operations["create_product"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/seller/products/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One of the caller's products */
        get: operations["get_product"];
        /** Replace a product (name required) */
        put: operations["put_product"];
        post?: never;
        /** Delete a product that never sold */
        delete: operations["delete_product"];
        options?: never;
        head?: never;
        /** Change some fields of a product */
        patch: operations["patch_product"];
        trace?: never;
    };
    "/api/seller/products/{product_id}/assets/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A product's assets, by title then id */
        get: operations["list_assets"];
        put?: never;
        /** Add a downloadable asset to a product */
        post: operations["create_asset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/seller/products/{product_id}/prices/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A product's prices, by amount then id */
        get: operations["list_prices"];
        put?: never;
        /** Add a price to a product */
        post: operations["create_price"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/seller/products/{product_id}/service-offer/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A service product's offer (404 until one exists) */
        get: operations["get_offer"];
        /** Create or update a service product's offer */
        put: operations["put_offer"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Create or update some fields of a service product's offer */
        patch: operations["patch_offer"];
        trace?: never;
    };
    "/api/supabase/profile/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Probe Supabase's REST API for the caller's profile row
         * @description Tries SUPABASE_PROFILE_TABLE, then `api_profile`, then `profiles` with the anon key. Never a 5xx: when Supabase is not configured or fails, the answer is 200 with `ok: false` and a safe detail.
         */
        get: operations["supabase_profile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/clerk/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Receive a Clerk event (Svix-signed)
         * @description The signature is checked over the exact body before anything else; each `svix-id` is processed once. Payment events confirm and fulfil orders.
         */
        post: operations["receive_clerk_webhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description One AI provider (`ai/providers/`). */
        AiProvider: {
            /** @description Where it is called; null for the simulator. */
            base_url: string | null;
            /** @description Where its API is documented. */
            docs_url: string;
            /** @description Whether requests may use it now on this server. */
            enabled: boolean;
            /** @description The settings that configure it. */
            env_vars: string[];
            /** @description `simulator`, `openai`, `openrouter` or `ollama`. */
            key: string;
            /** @description `simulator` (runs in the server) or `remote` (needs `AI_PROVIDER_CALLS_ENABLED`). */
            kind: string;
            /** @description Its name for people. */
            label: string;
            /** @description The chat model it uses when a request names none. */
            model_hint: string;
        };
        /**
         * @description Create/update body of an asset; `title` and `file_path` are required on create and
         *     PUT. A `product` field is ignored: the product comes from the path.
         */
        AssetInput: {
            /** @description Hex SHA-256 (any case; stored lower-cased), or blank. */
            checksum_sha256?: string | null;
            /** @description Path in the asset storage, unique per product. */
            file_path?: string | null;
            /**
             * Format: int64
             * @description Size in bytes, `>= 0`.
             */
            file_size_bytes?: number | null;
            /** @description Only active assets are granted and listed publicly (default true). */
            is_active?: boolean | null;
            /** @description A JSON object. */
            metadata?: Record<string, unknown> | null;
            /** @description Display title. */
            title?: string | null;
            /** @description Free version label. */
            version_label?: string | null;
        };
        /** @description The assistant's message. */
        AssistantMessage: {
            /** @description The answer. */
            content: string;
            /** @description Always `assistant`. */
            role: string;
        };
        /** @description The answers of `billing/features/`. */
        BillingFeatures: {
            /** @description Sorted. */
            enabled_features: string[];
        } | {
            /** @description Whether the caller has it. */
            enabled: boolean;
            /** @description The feature asked about, lower-cased. */
            feature: string;
        };
        /**
         * @description One-time, or recurring every month or year.
         * @enum {string}
         */
        BillingPeriod: "one_time" | "monthly" | "yearly";
        /** @description The 503 of a usage-generating request while the billing sync is hard-stale. */
        BillingSyncBlocked: {
            /** @description The status that blocked it. */
            billing_sync: components["schemas"]["BillingSyncStatus"];
            /** @description What to do, for a person. */
            detail: string;
            /** @description Always `billing_sync_hard_stale`. */
            error_code: string;
        };
        /**
         * @description How fresh the local copy of Clerk billing is (`account/subscriptions/status/`, and
         *     `billing_sync` in AI answers).
         */
        BillingSyncStatus: {
            /**
             * Format: int64
             * @description Seconds since the last success; null when never synced.
             */
            age_seconds: number | null;
            /** @description Whether usage-generating requests are refused until a sync succeeds. */
            blocking: boolean;
            /** @description A sentence for the buyer. */
            detail: string;
            /** @description The last attempt's error code when it failed, e.g. `clerk_api_error`. */
            error_code: string | null;
            /**
             * Format: int64
             * @description `BILLING_SYNC_HARD_TTL_SECONDS` (always above the soft window).
             */
            hard_ttl_seconds: number;
            /**
             * Format: date-time
             * @description When the last attempt finished.
             */
            last_attempt_at: string | null;
            /**
             * Format: date-time
             * @description When the last successful attempt finished.
             */
            last_success_at: string | null;
            /** @description Why, e.g. `fresh`, `never_synced`, `soft_stale_with_sync_error`, `synced`. */
            reason_code: string;
            /**
             * Format: int64
             * @description `BILLING_SYNC_SOFT_STALE_SECONDS`.
             */
            soft_window_seconds: number;
            state: components["schemas"]["SyncState"];
        };
        /** @description `ai/chat/complete/`. */
        ChatCompletionView: {
            /** @description The billing sync status it ran under. */
            billing_sync: components["schemas"]["BillingSyncStatus"];
            /** @description Why generation stopped (`stop`, `length`, …), when the provider said. */
            finish_reason: string | null;
            /** @description The answer. */
            message: components["schemas"]["AssistantMessage"];
            /** @description The model that answered. */
            model: string;
            /** @description Things worth knowing (a soft-stale sync, enforcement off). */
            notes: string[];
            /** @description Who answered. */
            provider: string;
            /** @description The tokens quota after this request. */
            quota: components["schemas"]["QuotaAfter"];
            /**
             * Format: uuid
             * @description The ledger's request id.
             */
            request_id: string;
            /** @description What was charged. */
            usage: components["schemas"]["ChatUsage"];
        };
        /** @description `POST ai/chat/complete/`. */
        ChatInput: {
            /**
             * Format: int64
             * @description The most tokens the answer may have, 1 to 4096 (default 320); reserved from the
             *     quota up front.
             */
            max_output_tokens?: number | null;
            /** @description The conversation, 1 to 100 messages. */
            messages: components["schemas"]["MessageInput"][];
            /** @description The model (default: the provider's configured model, else `AI_DEFAULT_CHAT_MODEL`). */
            model?: string | null;
            /**
             * @description `simulator`, `openai`, `openrouter` or `ollama`; default: the simulator when
             *     enabled, else the first configured remote provider.
             */
            provider?: string | null;
        };
        /** @description Tokens a chat was charged. */
        ChatUsage: {
            /**
             * Format: int64
             * @description Tokens read.
             */
            input_tokens: number;
            /**
             * Format: int64
             * @description Tokens generated.
             */
            output_tokens: number;
            /** @description `provider` (the provider's own numbers) or `estimate` (counted here). */
            source: string;
            /**
             * Format: int64
             * @description Both (what the ledger recorded for this request).
             */
            total_tokens: number;
        };
        /** @description Where the buyer pays for a new order. */
        Checkout: {
            /**
             * @description The price's `metadata.checkout_url`, or empty: then the order waits for a payment
             *     made elsewhere (in development, `paidloop dev pay`).
             */
            checkout_url: string;
            /**
             * @description Always `clerk`.
             * @example clerk
             */
            provider: string;
        };
        /** @description One of the user's email addresses at Clerk. */
        ClerkEmail: {
            /** @description The address. */
            email: string;
            /** @description Whether Clerk verified it. */
            verified: boolean;
        };
        /** @description The caller as Clerk's Backend API knows them (`me/clerk/`); never private metadata. */
        ClerkUser: {
            /** @description Clerk user id. */
            clerk_user_id: string;
            /**
             * Format: date-time
             * @description When the user was created.
             */
            created_at: string | null;
            /** @description Every address, verified or not. */
            email_addresses: components["schemas"]["ClerkEmail"][];
            /** @description Given name. */
            first_name: string;
            /** @description Avatar URL. */
            image_url: string;
            /** @description Family name. */
            last_name: string;
            /**
             * Format: date-time
             * @description When they last signed in.
             */
            last_sign_in_at: string | null;
            /** @description Public metadata. */
            public_metadata: Record<string, unknown>;
        };
        /** @description The answer of `account/orders/{public_id}/confirm/`. */
        ConfirmedOrderView: {
            /** @description True when it was already paid before this request. */
            already_confirmed: boolean;
            /** @description The order, now fulfilled. */
            order: components["schemas"]["Order"];
        };
        /** @description `POST account/orders/{public_id}/confirm/` body. */
        ConfirmInput: {
            /** @description The Clerk checkout id. */
            clerk_checkout_id?: string | null;
            /** @description The payment's reference at the provider. */
            external_id?: string | null;
            provider?: components["schemas"]["PaymentProvider"];
            /** @description Kept with the payment transaction. */
            raw_payload?: unknown;
        };
        /** @description The answer of `account/orders/create/`. */
        CreatedOrderView: {
            /** @description Where to pay. */
            checkout: components["schemas"]["Checkout"];
            /** @description The new order, `pending_payment`. */
            order: components["schemas"]["Order"];
        };
        /** @description `POST account/orders/create/` body. */
        CreateOrder: {
            /** @description The buyer's notes (become the work order's request for services). */
            notes?: string;
            /**
             * Format: int64
             * @description The price to buy at; its amount is read from the database.
             */
            price_id: number;
            /**
             * Format: int64
             * @description Units, 1 by default.
             * @default 1
             */
            quantity: number;
        };
        /** @description `CustomerAccount` of the spec. */
        CustomerAccount: {
            /** @description Where receipts go. */
            billing_email: string;
            /** @description Company on invoices. */
            company_name: string;
            /** @description ISO 3166 alpha-2, upper-case. */
            country: string;
            /**
             * Format: date-time
             * @description Created.
             */
            created_at: string;
            /** @description The billing provider's customer id (the Clerk user id). */
            external_customer_id: string;
            /** @description Name on invoices. */
            full_name: string;
            /**
             * Format: int64
             * @description Row id.
             */
            id: number;
            /** @description Free-form metadata. */
            metadata: Record<string, unknown>;
            /** @description Whose account. */
            profile: components["schemas"]["ProfileSummary"];
            /** @description VAT or tax number. */
            tax_id: string;
            /**
             * Format: date-time
             * @description Last changed.
             */
            updated_at: string;
        };
        /** @description PATCH body: any subset of the editable fields. */
        CustomerPatch: {
            /** @description Where receipts go (a valid email, or blank). */
            billing_email?: string | null;
            /** @description Company on invoices. */
            company_name?: string | null;
            /** @description Two-letter ISO country code, any case (stored upper-cased), or blank. */
            country?: string | null;
            /** @description Name on invoices. */
            full_name?: string | null;
            /** @description A JSON object. */
            metadata?: Record<string, unknown> | null;
            /** @description VAT or tax number. */
            tax_id?: string | null;
        };
        /**
         * @description How a work order's result reaches the buyer.
         * @enum {string}
         */
        DeliveryMode: "downloadable" | "physical_shipped";
        /** @description A local session token. */
        DevSession: {
            /**
             * Format: date-time
             * @description When it stops being accepted.
             */
            expires_at: string;
            /** @description Send as `Authorization: Bearer …`. */
            token: string;
        };
        /** @description Who to sign in as; every field optional. */
        DevSessionInput: {
            /** @description Their email (`{user_id}@example.com` by default). */
            email?: string | null;
            entitlements?: string[] | Record<string, unknown> | string | null;
            /** @description Their given name. */
            first_name?: string | null;
            /** @description The local user's id (`user_local_dev` by default): letters, digits, `_`, `-`. */
            user_id?: string | null;
        };
        /** @description The answer of `account/downloads/{token}/access/`. */
        DownloadAccess: {
            /** @description A signed link to the file, valid for `ASSET_STORAGE_SIGNED_URL_TTL_SECONDS`. */
            download_url: string;
            /** @description The grant, with this download counted. */
            grant: components["schemas"]["DownloadGrant"];
        };
        /** @description The download grant of the spec (`account/downloads/`); never the asset's file path. */
        DownloadGrant: {
            /**
             * Format: int64
             * @description The asset's id.
             */
            asset: number;
            /** @description The asset's display title. */
            asset_title: string;
            /** @description Active, not expired, and with downloads left. */
            can_download: boolean;
            /**
             * Format: date-time
             * @description Created.
             */
            created_at: string;
            /**
             * Format: int32
             * @description Downloads so far.
             */
            download_count: number;
            /**
             * Format: date-time
             * @description When it expires; null = never.
             */
            expires_at: string | null;
            /**
             * Format: int64
             * @description Row id.
             */
            id: number;
            /** @description False while locked (pending delivery) or revoked. */
            is_active: boolean;
            /**
             * Format: date-time
             * @description When it was last used.
             */
            last_downloaded_at: string | null;
            /**
             * Format: int32
             * @description Download limit; 0 = unlimited.
             */
            max_downloads: number;
            /**
             * Format: int64
             * @description The order item's id.
             */
            order_item: number;
            /** @description The asset's product's name. */
            product_name: string;
            /**
             * Format: uuid
             * @description The id used in the access URL.
             */
            token: string;
            /**
             * Format: date-time
             * @description Last changed.
             */
            updated_at: string;
        };
        /** @description An entitlement of the caller (`account/entitlements/`). */
        Entitlement: {
            /**
             * Format: date-time
             * @description Created.
             */
            created_at: string;
            /**
             * Format: date-time
             * @description Until when it grants; null = open-ended.
             */
            ends_at: string | null;
            /** @description The feature it grants. */
            feature_key: string;
            /**
             * Format: int64
             * @description Row id.
             */
            id: number;
            /** @description False once ended or revoked. */
            is_active: boolean;
            /** @description Whether it grants its feature now. */
            is_current: boolean;
            /** @description Free-form metadata. */
            metadata: Record<string, unknown>;
            /** @description The subscription's Clerk id, the order's public id, or free text. */
            source_reference: string;
            source_type: components["schemas"]["EntitlementSource"];
            /**
             * Format: date-time
             * @description From when it grants.
             */
            starts_at: string;
            /**
             * Format: date-time
             * @description Last changed.
             */
            updated_at: string;
        };
        /**
         * @description What granted an entitlement.
         * @enum {string}
         */
        EntitlementSource: "plan" | "purchase" | "manual";
        /** @description `{"detail": "…"}`: the body of every error that is about the whole request. */
        ErrorDetail: {
            /** @description What went wrong, for a person to read. */
            detail: string;
        };
        /** @description Token counts by part. */
        EstimatedTokens: {
            /**
             * Format: int64
             * @description Tokens of `messages`, counted as a chat (0 when none were sent).
             */
            messages: number;
            /**
             * Format: int64
             * @description Tokens of `text` (0 when none was sent).
             */
            text: number;
            /**
             * Format: int64
             * @description Both together.
             */
            total: number;
        };
        /** @description `POST ai/tokens/estimate/`: send `text`, `messages`, or both. */
        EstimateInput: {
            /** @description A chat to count as the provider would bill its input. */
            messages?: components["schemas"]["MessageInput"][] | null;
            /**
             * @description The model whose encoding counts (default `AI_DEFAULT_CHAT_MODEL`); a provider
             *     prefix such as `openai/` is ignored.
             */
            model?: string | null;
            /** @description Plain text to count (at most 200,000 characters). */
            text?: string | null;
        };
        /** @description The answer of `health/`. */
        Health: {
            /**
             * @description Always `ok`.
             * @example ok
             */
            status: string;
            /**
             * Format: date-time
             * @description The server's clock.
             */
            timestamp: string;
        };
        /** @description `POST ai/images/generate/`. */
        ImageInput: {
            /**
             * Format: int64
             * @description How many images, 1 to 10 (default 1); each is one unit of the images quota.
             */
            count?: number | null;
            /** @description The image model (default: the provider's configured one). */
            model?: string | null;
            /** @description What to draw, 1 to 5,000 characters. */
            prompt: string;
            /** @description As for chats. */
            provider?: string | null;
            /** @description `WIDTHxHEIGHT` (default `AI_DEFAULT_IMAGE_SIZE`). */
            size?: string | null;
        };
        /** @description `ai/images/generate/`. */
        ImagesView: {
            /** @description The billing sync status it ran under. */
            billing_sync: components["schemas"]["BillingSyncStatus"];
            /** @description The images. */
            images: components["schemas"]["ImageView"][];
            /** @description The image model. */
            model: string;
            /** @description Things worth knowing. */
            notes: string[];
            /** @description Who drew them. */
            provider: string;
            /** @description The images quota after this request. */
            quota: components["schemas"]["QuotaAfter"];
            /**
             * Format: uuid
             * @description The ledger's request id.
             */
            request_id: string;
            /** @description `WIDTHxHEIGHT`. */
            size: string;
            /** @description What was charged. */
            usage: components["schemas"]["ImageUsage"];
        };
        /** @description Images a request was charged. */
        ImageUsage: {
            /**
             * Format: int64
             * @description One unit per image generated.
             */
            images: number;
        };
        /** @description One generated image. */
        ImageView: {
            /** @description The PNG in base64, when the provider sent it inline. */
            b64_json: string | null;
            /** @description The prompt the provider really used, when it rewrote it. */
            revised_prompt: string | null;
            /** @description A link (providers' links expire; the simulator's are `data:` URLs). */
            url: string | null;
        };
        /** @description The answer of `me/`. */
        Me: {
            /** @description Features from the billing claim. */
            billing_features: string[];
            /** @description The Clerk user id (`sub`). */
            clerk_user_id: string;
            /** @description The caller's customer account. */
            customer_account: components["schemas"]["CustomerAccount"];
            /** @description The profile's email. */
            email: string;
            /** @description The token's Clerk organisation, if any. */
            org_id: string | null;
            /** @description The caller's profile. */
            profile: components["schemas"]["Profile"];
        };
        /** @description One chat message as sent. */
        MessageInput: {
            /** @description The text, 1 to 20,000 characters. */
            content: string;
            /** @description An optional participant name (at most 64 characters). */
            name?: string | null;
            /** @description `system`, `user` or `assistant`. */
            role: string;
        };
        /** @description A money amount as the client sent it: `"12.50"` or `12.5`. */
        MoneyInput: string | number;
        /** @description Upsert body of a service offer; absent fields keep their stored (or default) value. */
        OfferInput: {
            /**
             * Format: int64
             * @description Days until a work order is due, `>= 0` (default 7).
             */
            delivery_days?: number | null;
            /** @description A JSON object; `delivery_mode` picks physical or downloadable fulfilment. */
            metadata?: Record<string, unknown> | null;
            /** @description Shown to the buyer. */
            onboarding_instructions?: string | null;
            /**
             * Format: int64
             * @description Included revisions, `>= 0`.
             */
            revision_count?: number | null;
            /**
             * Format: int64
             * @description Length of a session, `>= 0` (default 60).
             */
            session_minutes?: number | null;
        };
        /** @description `Order` of the spec. */
        Order: {
            /** @description Clerk checkout id, once known. */
            clerk_checkout_id: string;
            /**
             * Format: date-time
             * @description Created.
             */
            created_at: string;
            /** @description ISO currency of every amount. */
            currency: string;
            /** @description Payment reference, once paid. */
            external_reference: string;
            /**
             * Format: date-time
             * @description When fulfilment finished.
             */
            fulfilled_at: string | null;
            /**
             * Format: int64
             * @description Row id.
             */
            id: number;
            /** @description The order's items. */
            items: components["schemas"]["OrderItem"][];
            /** @description The buyer's notes. */
            notes: string;
            /**
             * Format: date-time
             * @description When payment was confirmed.
             */
            paid_at: string | null;
            /**
             * Format: uuid
             * @description The id clients and payment events use.
             */
            public_id: string;
            status: components["schemas"]["OrderStatus"];
            /**
             * Format: int64
             * @description Sum of the items.
             */
            subtotal_cents: number;
            /**
             * Format: int64
             * @description Tax.
             */
            tax_cents: number;
            /**
             * Format: int64
             * @description subtotal + tax.
             */
            total_cents: number;
            /**
             * Format: date-time
             * @description Last changed.
             */
            updated_at: string;
        };
        /** @description `OrderItem` of the spec. */
        OrderItem: {
            /**
             * Format: date-time
             * @description Created.
             */
            created_at: string;
            /**
             * Format: int64
             * @description Row id.
             */
            id: number;
            /** @description Free-form metadata. */
            metadata: Record<string, unknown>;
            /**
             * Format: int64
             * @description Price id (null once the price is deleted).
             */
            price: number | null;
            /** @description Price name when ordered. */
            price_name_snapshot: string;
            /**
             * Format: int64
             * @description Product id.
             */
            product: number;
            /** @description Product name when ordered. */
            product_name_snapshot: string;
            /** @description The product's current slug. */
            product_slug: string;
            product_type: components["schemas"]["ProductType"];
            /**
             * Format: int32
             * @description Units bought.
             */
            quantity: number;
            /**
             * Format: int64
             * @description unit × quantity.
             */
            total_amount_cents: number;
            /**
             * Format: int64
             * @description Price per unit when ordered.
             */
            unit_amount_cents: number;
            /**
             * Format: date-time
             * @description Last changed.
             */
            updated_at: string;
        };
        /**
         * @description Where an order is in the paid loop.
         * @enum {string}
         */
        OrderStatus: "draft" | "pending_payment" | "paid" | "fulfilled" | "canceled" | "refunded";
        /**
         * @description Who vouches for a payment.
         * @enum {string}
         */
        PaymentProvider: "clerk" | "manual";
        /** @description The 409 of a client-side Clerk confirmation: only the webhook may confirm it. */
        PendingVerification: {
            /** @description Why. */
            detail: string;
            /** @description Always true. */
            pending_verification: boolean;
        };
        /**
         * @description The caller's plan, from their billing features.
         * @enum {string}
         */
        PlanTier: "free" | "pro" | "enterprise";
        /** @description The answer of the preflight email test, sent or not. */
        PreflightEmailResult: {
            /** @description What happened, for a person to read. */
            detail: string;
            /** @description The transport's error; only in debug, never in production answers. */
            error?: string | null;
            /** @description Where it went (when sent). */
            recipient_email?: string | null;
            /** @description Whether the test email was sent. */
            sent: boolean;
            /**
             * Format: date-time
             * @description When it was sent (when sent).
             */
            sent_at?: string | null;
        };
        /**
         * @description Create/update body of a price; every field optional (they all have defaults).
         *     A `product` field is ignored: the product comes from the path and never changes.
         */
        PriceInput: {
            /**
             * Format: int64
             * @description Amount in cents, `>= 0` (default 0).
             */
            amount_cents?: number | null;
            billing_period?: components["schemas"]["BillingPeriod"];
            /** @description The Clerk plan this price maps to. */
            clerk_plan_id?: string | null;
            /** @description The Clerk price this price maps to. */
            clerk_price_id?: string | null;
            /**
             * @description Three-letter code, upper-cased (default `USD`).
             * @example USD
             */
            currency?: string | null;
            /** @description Whether it can be bought (default true). */
            is_active?: boolean | null;
            /** @description Whether it is the product's default price (default false). */
            is_default?: boolean | null;
            /** @description A JSON object; `checkout_url` is where buyers pay. */
            metadata?: Record<string, unknown> | null;
            /** @description Display name; blank is allowed. */
            name?: string | null;
        };
        /** @description The price a subscription is billed at, in short. */
        PriceSummary: {
            /**
             * Format: int64
             * @description Amount in cents.
             */
            amount_cents: number;
            billing_period: components["schemas"]["BillingPeriod"];
            /** @description Three-letter code. */
            currency: string;
            /**
             * Format: int64
             * @description Price id.
             */
            id: number;
            /** @description Display name. */
            name: string;
        };
        /** @description `ProductDetail` of the spec: ProductList plus prices, assets, service offer, metadata. */
        ProductDetail: components["schemas"]["ProductList"] & {
            /** @description Its active assets. */
            assets: components["schemas"]["PublicAsset"][];
            /** @description Free-form metadata. */
            metadata: Record<string, unknown>;
            /** @description All its prices, by amount then id. */
            prices: components["schemas"]["PublicPrice"][];
            service_offer: null | components["schemas"]["ServiceOffer"];
        };
        /** @description Create/update body of a product; every field optional so PATCH can send just one. */
        ProductInput: {
            /**
             * Format: int64
             * @description One of this product's price ids, or `null` to clear it.
             */
            active_price?: number | null;
            /** @description Long description. */
            description?: string | null;
            /** @description A list of feature keys (`null` is refused, like any non-list). */
            feature_keys?: string[];
            /** @description A JSON object. */
            metadata?: Record<string, unknown> | null;
            /** @description Display name (required on create and PUT). */
            name?: string | null;
            product_type?: components["schemas"]["ProductType"];
            /** @description Wanted slug; blank → from the name; absent on update → kept. */
            slug?: string | null;
            /** @description Short pitch. */
            tagline?: string | null;
            visibility?: components["schemas"]["Visibility"];
        };
        /** @description `ProductList` of the spec. */
        ProductList: {
            active_price: null | components["schemas"]["PublicPrice"];
            /**
             * Format: date-time
             * @description Created.
             */
            created_at: string;
            /** @description Long description. */
            description: string;
            /** @description Feature keys granted by buying it. */
            feature_keys: string[];
            /**
             * Format: int64
             * @description Row id.
             */
            id: number;
            /** @description Display name. */
            name: string;
            product_type: components["schemas"]["ProductType"];
            /** @description URL slug. */
            slug: string;
            /** @description Short pitch. */
            tagline: string;
            /**
             * Format: date-time
             * @description Last changed.
             */
            updated_at: string;
            visibility: components["schemas"]["Visibility"];
        };
        /**
         * @description What buying it delivers: files, or work.
         * @enum {string}
         */
        ProductType: "digital" | "service";
        /** @description `Profile` of the spec. */
        Profile: {
            /** @description Features from the billing claim: trimmed, lower-cased, de-duplicated. */
            billing_features: string[];
            /** @description Clerk user id. */
            clerk_user_id: string;
            /**
             * Format: date-time
             * @description Created.
             */
            created_at: string;
            /** @description Email from Clerk. */
            email: string;
            /** @description Given name. */
            first_name: string;
            /**
             * Format: int64
             * @description Row id.
             */
            id: number;
            /** @description Avatar URL. */
            image_url: string;
            /** @description False once Clerk deleted the user. */
            is_active: boolean;
            /** @description Family name. */
            last_name: string;
            /** @description Metadata from the claims. */
            metadata: Record<string, unknown>;
            plan_tier: components["schemas"]["PlanTier"];
            /**
             * Format: date-time
             * @description Last changed.
             */
            updated_at: string;
        };
        /** @description The short profile nested in a customer account. */
        ProfileSummary: {
            /** @description Clerk user id. */
            clerk_user_id: string;
            /** @description Email. */
            email: string;
            /** @description Given name. */
            first_name: string;
            /**
             * Format: int64
             * @description Row id.
             */
            id: number;
            /** @description Family name. */
            last_name: string;
        };
        /** @description A project of the spec's example resource. */
        Project: {
            /**
             * Format: date-time
             * @description Created.
             */
            created_at: string;
            /**
             * Format: int64
             * @description Row id.
             */
            id: number;
            /**
             * @description Decimal string with two places, e.g. `"1250.00"`.
             * @example 1250.00
             */
            monthly_recurring_revenue: string;
            /** @description Display name. */
            name: string;
            /** @description URL slug, unique per owner. */
            slug: string;
            status: components["schemas"]["ProjectStatus"];
            /** @description Free text. */
            summary: string;
            /**
             * Format: date
             * @description Planned launch day.
             */
            target_launch_date: string | null;
            /**
             * Format: date-time
             * @description Last changed.
             */
            updated_at: string;
        };
        /** @description Create/update body; every field optional so PATCH can send just one. */
        ProjectInput: {
            monthly_recurring_revenue?: null | components["schemas"]["MoneyInput"];
            /** @description Display name (required on create and PUT). */
            name?: string | null;
            /** @description Wanted slug; blank or absent → from the name on create. */
            slug?: string | null;
            status?: components["schemas"]["ProjectStatus"];
            /** @description Free text. */
            summary?: string | null;
            /**
             * Format: date
             * @description `null` clears the date; absent keeps it.
             */
            target_launch_date?: string | null;
        };
        /**
         * @description Where a project stands.
         * @enum {string}
         */
        ProjectStatus: "idea" | "building" | "live" | "paused";
        /** @description An asset as buyers see it: never its file path. */
        PublicAsset: {
            /**
             * Format: int64
             * @description Size in bytes.
             */
            file_size_bytes: number;
            /**
             * Format: int64
             * @description Row id.
             */
            id: number;
            /** @description Display title. */
            title: string;
            /** @description Version label. */
            version_label: string;
        };
        /** @description `PublicPrice` of the spec. */
        PublicPrice: {
            /**
             * @description The amount as a decimal string with two places (`"12.50"`).
             * @example 12.50
             */
            amount: string;
            /**
             * Format: int64
             * @description Amount in cents.
             */
            amount_cents: number;
            billing_period: components["schemas"]["BillingPeriod"];
            /**
             * @description Three-letter code.
             * @example USD
             */
            currency: string;
            /**
             * Format: int64
             * @description Row id.
             */
            id: number;
            /** @description Whether it is the product's default price. */
            is_default: boolean;
            /** @description Display name. */
            name: string;
        };
        /** @description The quota a request was charged to, after it. */
        QuotaAfter: {
            /**
             * Format: int64
             * @description The cycle's limit; null when unlimited.
             */
            limit: number | null;
            /** @description `tokens` or `images`. */
            metric: string;
            /**
             * Format: int64
             * @description What is left; null when unlimited.
             */
            remaining: number | null;
            /**
             * Format: int64
             * @description Used this cycle, this request included.
             */
            used: number;
        };
        /** @description The answer of `ready/`. */
        Readiness: {
            /** @description Whether the database answered: `ok` or `unavailable`. */
            database: string;
            /**
             * @description `ok`, or `unavailable`.
             * @example ok
             */
            status: string;
        };
        /**
         * @description The 403 of `access/`: why, and, when the grant itself is the reason, the grant as it
         *     stands (a cookie request refused by the CSRF check carries no grant).
         */
        RefusedGrant: {
            /** @description Why. */
            detail: string;
            /** @description The grant (inactive, expired, or out of downloads). */
            grant?: components["schemas"]["DownloadGrant"];
        };
        /** @description `SellerAsset` of the spec (with the file path: only its seller sees it). */
        SellerAsset: {
            /** @description Lower-case hex SHA-256, or blank. */
            checksum_sha256: string;
            /**
             * Format: date-time
             * @description Created.
             */
            created_at: string;
            /** @description Path in the asset storage. */
            file_path: string;
            /**
             * Format: int64
             * @description Size in bytes.
             */
            file_size_bytes: number;
            /**
             * Format: int64
             * @description Row id.
             */
            id: number;
            /** @description Whether it is granted and listed. */
            is_active: boolean;
            /** @description Free-form metadata. */
            metadata: Record<string, unknown>;
            /**
             * Format: int64
             * @description The product's id.
             */
            product: number;
            /** @description Display title. */
            title: string;
            /**
             * Format: date-time
             * @description Last changed.
             */
            updated_at: string;
            /** @description Version label. */
            version_label: string;
        };
        /** @description `SellerPrice` of the spec. */
        SellerPrice: {
            /**
             * Format: int64
             * @description Amount in cents.
             */
            amount_cents: number;
            billing_period: components["schemas"]["BillingPeriod"];
            /** @description The Clerk plan it maps to. */
            clerk_plan_id: string;
            /** @description The Clerk price it maps to. */
            clerk_price_id: string;
            /**
             * Format: date-time
             * @description Created.
             */
            created_at: string;
            /**
             * @description Three-letter code.
             * @example USD
             */
            currency: string;
            /**
             * Format: int64
             * @description Row id.
             */
            id: number;
            /** @description Whether it can be bought. */
            is_active: boolean;
            /** @description Whether it is the product's default. */
            is_default: boolean;
            /** @description Free-form metadata. */
            metadata: Record<string, unknown>;
            /** @description Display name. */
            name: string;
            /**
             * Format: int64
             * @description The product's id.
             */
            product: number;
            /**
             * Format: date-time
             * @description Last changed.
             */
            updated_at: string;
        };
        /** @description `SellerProduct` of the spec. */
        SellerProduct: {
            /**
             * Format: int64
             * @description The id of its active price, or null.
             */
            active_price: number | null;
            /** @description All its assets, by title then id. */
            assets: components["schemas"]["SellerAsset"][];
            /**
             * Format: date-time
             * @description Created.
             */
            created_at: string;
            /** @description Long description. */
            description: string;
            /** @description Feature keys granted by buying it. */
            feature_keys: string[];
            /**
             * Format: int64
             * @description Row id.
             */
            id: number;
            /** @description Free-form metadata. */
            metadata: Record<string, unknown>;
            /** @description Display name. */
            name: string;
            /** @description All its prices, by amount then id. */
            prices: components["schemas"]["SellerPrice"][];
            product_type: components["schemas"]["ProductType"];
            service_offer: null | components["schemas"]["ServiceOffer"];
            /** @description URL slug, unique per seller. */
            slug: string;
            /** @description Short pitch. */
            tagline: string;
            /**
             * Format: date-time
             * @description Last changed.
             */
            updated_at: string;
            visibility: components["schemas"]["Visibility"];
        };
        /** @description `ServiceOffer` of the spec. */
        ServiceOffer: {
            /**
             * Format: int32
             * @description Days until a work order is due.
             */
            delivery_days: number;
            /**
             * Format: int64
             * @description Row id.
             */
            id: number;
            /** @description Free-form metadata (`delivery_mode`). */
            metadata: Record<string, unknown>;
            /** @description Shown to the buyer. */
            onboarding_instructions: string;
            /**
             * Format: int32
             * @description Included revisions.
             */
            revision_count: number;
            /**
             * Format: int32
             * @description Length of a session.
             */
            session_minutes: number;
        };
        /** @description A subscription of the caller (`account/subscriptions/`). */
        Subscription: {
            /** @description Whether it ends with the period. */
            cancel_at_period_end: boolean;
            /**
             * Format: date-time
             * @description When it was canceled.
             */
            canceled_at: string | null;
            /** @description Clerk's id; null for a subscription from a local order. */
            clerk_subscription_id: string | null;
            /**
             * Format: date-time
             * @description Created.
             */
            created_at: string;
            /**
             * Format: date-time
             * @description End of the current period.
             */
            current_period_end: string | null;
            /**
             * Format: date-time
             * @description Start of the current period.
             */
            current_period_start: string | null;
            /**
             * Format: int64
             * @description Row id.
             */
            id: number;
            /** @description Free-form metadata. */
            metadata: Record<string, unknown>;
            /**
             * Format: int64
             * @description Price id, while it exists.
             */
            price: number | null;
            price_summary: null | components["schemas"]["PriceSummary"];
            /**
             * Format: int64
             * @description Product id, while it exists.
             */
            product: number | null;
            /** @description The product's name, while it exists. */
            product_name: string | null;
            status: components["schemas"]["SubscriptionStatus"];
            /**
             * Format: date-time
             * @description Last changed.
             */
            updated_at: string;
        };
        /**
         * @description A subscription's state; only active and trialing grant its plan.
         * @enum {string}
         */
        SubscriptionStatus: "trialing" | "active" | "past_due" | "canceled" | "incomplete" | "paused";
        /** @description The answer of `supabase/profile/`. */
        SupabaseProfileProbe: {
            /** @description What happened, safe to show. */
            detail: string;
            /** @description The underlying error; only in debug. */
            error?: string | null;
            /** @description Whether Supabase's REST API answered for one of the profile tables. */
            ok: boolean;
            /** @description The caller's row, when one was found. */
            profile?: Record<string, unknown> | null;
            /** @description The table that answered. */
            source_table?: string | null;
        };
        /**
         * @description How fresh the local copy of Clerk billing is.
         * @enum {string}
         */
        SyncState: "fresh" | "soft_stale" | "hard_stale";
        /** @description `ai/tokens/estimate/`. */
        TokenEstimateView: {
            /** @description The counts. */
            estimated_tokens: components["schemas"]["EstimatedTokens"];
            /** @description The model counted for. */
            model: string;
            /** @description How they were counted. */
            notes: string[];
        };
        /** @description One metric's use in the cycle. */
        UsageBucketView: {
            /** @description `tokens`, `images` or `videos`. */
            key: string;
            /** @description Its name for people. */
            label: string;
            /**
             * Format: int64
             * @description The cycle's limit; null = unlimited.
             */
            limit: number | null;
            /** @description At least 80% used. */
            near_limit: boolean;
            /**
             * Format: double
             * @description Share of the limit used, in percent (two decimals; may pass 100); null when
             *     unlimited.
             */
            percent_used: number | null;
            /** @description When it resets: `billing_cycle`. */
            reset_window: string;
            /** @description What `used` and `limit` count. */
            unit: string;
            /**
             * Format: int64
             * @description Used this cycle (reservations of requests in flight included).
             */
            used: number;
        };
        /** @description `ai/usage/summary/`. */
        UsageSummaryView: {
            /** @description The billing sync status (read only; this request never syncs). */
            billing_sync: components["schemas"]["BillingSyncStatus"];
            /** @description One bucket per metric. */
            buckets: components["schemas"]["UsageBucketView"][];
            /** @description Things worth knowing. */
            notes: string[];
            /** @description Always `current_billing_cycle`. */
            period: string;
            /**
             * Format: date-time
             * @description When the cycle ends and usage resets.
             */
            period_end: string;
            /** @description `subscription_cycle` or `anchored_monthly_cycle`. */
            period_source: string;
            /**
             * Format: date-time
             * @description First instant of the cycle.
             */
            period_start: string;
            plan_tier: components["schemas"]["PlanTier"];
        };
        /** @description Messages by field name; `detail` is a message about the whole body. */
        ValidationErrors: {
            detail?: string;
        } & {
            [key: string]: string[];
        };
        /**
         * @description Only `published` products are in the public catalog.
         * @enum {string}
         */
        Visibility: "draft" | "published" | "archived";
        /** @description The answer to a verified delivery. */
        WebhookAck: {
            /** @description True when this event id was already processed: nothing was done again. */
            deduplicated?: boolean | null;
            /** @description Why the event needed no work, when it needed none. */
            ignored?: string | null;
            /**
             * @description Always `ok`.
             * @example ok
             */
            status: string;
        };
        /** @description `{"error": "…"}`: the webhook receiver's answer to a delivery it could not verify. */
        WebhookError: {
            /** @description Why the delivery was refused. */
            error: string;
        };
        /** @description The work order of the spec (`account/orders/work/`); never the seller's notes. */
        WorkOrder: {
            /**
             * Format: date-time
             * @description When it was completed or canceled.
             */
            completed_at: string | null;
            /**
             * Format: date-time
             * @description Created.
             */
            created_at: string;
            /** @description The buyer's request. */
            customer_request: string;
            delivery_mode: components["schemas"]["DeliveryMode"];
            /** @description Notes shown to the buyer on delivery. */
            delivery_notes: string;
            /**
             * Format: int64
             * @description The delivery grant's id, if any.
             */
            download_grant: number | null;
            /** @description Whether the delivery grant can be used now. */
            download_ready: boolean;
            /**
             * Format: uuid
             * @description The delivery grant's token, for `account/downloads/{token}/access/`.
             */
            download_token: string | null;
            /**
             * Format: date-time
             * @description When it is due.
             */
            due_at: string | null;
            /**
             * Format: int64
             * @description Row id.
             */
            id: number;
            /** @description Free-form metadata. */
            metadata: Record<string, unknown>;
            /**
             * Format: int64
             * @description The order item's id, while it exists.
             */
            order_item: number | null;
            /**
             * Format: int64
             * @description The product's id, while it exists.
             */
            product: number | null;
            /** @description The product's name, while it exists. */
            product_name: string | null;
            /**
             * Format: date-time
             * @description When it was shipped.
             */
            shipped_at: string | null;
            /** @description Carrier name. */
            shipping_carrier: string;
            /** @description Tracking number. */
            shipping_tracking_number: string;
            /** @description Tracking URL. */
            shipping_tracking_url: string;
            /** @description `requested`, `in_progress`, `ready_for_delivery`, `completed` or `canceled`. */
            status: string;
            /**
             * Format: date-time
             * @description Last changed.
             */
            updated_at: string;
        };
    };
    responses: {
        /** @description An outside service (storage, Clerk, an AI provider) failed. */
        BadGateway: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorDetail"];
            };
        };
        /** @description Invalid input: messages by field name, or `detail`. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ValidationErrors"];
            };
        };
        /** @description The request conflicts with the current state. */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorDetail"];
            };
        };
        /** @description Signed in but not allowed (a cookie request from an untrusted origin fails the CSRF check). */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorDetail"];
            };
        };
        /** @description No such row, or it belongs to someone else. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorDetail"];
            };
        };
        /** @description The body is larger than 1 MiB. */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorDetail"];
            };
        };
        /** @description An integration is not configured or not available. */
        ServiceUnavailable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorDetail"];
            };
        };
        /** @description Over a rate limit; retry after `Retry-After` seconds. */
        TooManyRequests: {
            headers: {
                /** @description Seconds until a request may succeed. */
                "Retry-After"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorDetail"];
            };
        };
        /** @description No credentials, or a token that failed verification (`WWW-Authenticate: Bearer`). */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorDetail"];
            };
        };
        /** @description The body is not `application/json`. */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorDetail"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    list_bookings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The work orders. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkOrder"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    get_customer: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The account. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerAccount"];
                };
            };
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    patch_customer: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CustomerPatch"];
            };
        };
        responses: {
            /** @description The changed account. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerAccount"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    list_download_grants: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The grants. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DownloadGrant"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    access_download: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The grant's token. */
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A signed link. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DownloadAccess"];
                };
            };
            401: components["responses"]["Unauthorized"];
            /** @description The grant is inactive, expired or out of downloads (or a CSRF failure). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RefusedGrant"];
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            /** @description The asset storage failed; no download was counted. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description No asset storage is configured; no download was counted. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    list_entitlements: {
        parameters: {
            query?: {
                /** @description `false`/`0`/`no`/`off` lists every entitlement, not only current ones. */
                current?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The entitlements. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Entitlement"][];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    list_orders: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The orders. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    confirm_order: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The order's public id. */
                public_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConfirmInput"];
            };
        };
        responses: {
            /** @description Confirmed and fulfilled (or already was). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConfirmedOrderView"];
                };
            };
            /** @description The order is canceled or refused, or a field is invalid. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrors"];
                };
            };
            401: components["responses"]["Unauthorized"];
            /** @description Manual confirmation is off, or the shared secret is missing or wrong. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description Client-side Clerk confirmation is off: the webhook will confirm it. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PendingVerification"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    create_order: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateOrder"];
            };
        };
        responses: {
            /** @description The pending order and where to pay. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedOrderView"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No active price of a published product with that id. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    list_work_orders: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The work orders. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorkOrder"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    preflight_email_test: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Sent. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PreflightEmailResult"];
                };
            };
            /** @description No email transport is configured, or the account has no email address. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PreflightEmailResult"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            /** @description The transport failed to send it. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PreflightEmailResult"];
                };
            };
        };
    };
    list_subscriptions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The subscriptions. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Subscription"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    billing_sync_status: {
        parameters: {
            query?: {
                /** @description `1`/`true`/`yes`/`on` forces a sync with Clerk first. */
                refresh?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The sync status (after the sync, when forced). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BillingSyncStatus"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    complete_ai_chat: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChatInput"];
            };
        };
        responses: {
            /** @description The answer and what it cost. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatCompletionView"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Over the cycle's tokens quota (the provider was not called), or over a rate limit (with Retry-After). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description The provider failed; nothing was charged. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description The billing sync is hard-stale: usage is blocked until it succeeds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BillingSyncBlocked"];
                };
            };
        };
    };
    generate_ai_images: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ImageInput"];
            };
        };
        responses: {
            /** @description The images and what they cost. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImagesView"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            /** @description Over the cycle's images quota (the provider was not called), or over a rate limit (with Retry-After). */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description The provider failed; nothing was charged. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description The billing sync is hard-stale: usage is blocked until it succeeds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BillingSyncBlocked"];
                };
            };
        };
    };
    list_ai_providers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every provider, simulator first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AiProvider"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    estimate_ai_tokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EstimateInput"];
            };
        };
        responses: {
            /** @description The counts. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenEstimateView"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    ai_usage_summary: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The summary. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsageSummaryView"];
                };
            };
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    billing_features: {
        parameters: {
            query?: {
                /** @description A feature to check (any case); without it, every enabled feature is listed. */
                feature?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The features, or the one asked about. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BillingFeatures"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    create_dev_session: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DevSessionInput"];
            };
        };
        responses: {
            /** @description A session token. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DevSession"];
                };
            };
            400: components["responses"]["BadRequest"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    local_download: {
        parameters: {
            query?: {
                /** @description Unix seconds after which the link is refused. */
                expires?: string;
                /** @description Unpadded base64url HMAC-SHA256 of the path and expiry. */
                signature?: string;
            };
            header?: never;
            path: {
                /** @description The asset's path in the storage. */
                path: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file, as an attachment. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": number[];
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description The signature is wrong or the link expired. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Alive. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    clerk_user: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The Clerk user. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClerkUser"];
                };
            };
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
            /** @description Clerk failed or does not know the user. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description CLERK_SECRET_KEY is not set. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
    openapi_document: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, unknown>;
                };
            };
            429: components["responses"]["TooManyRequests"];
        };
    };
    list_public_products: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Published products. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProductList"][];
                };
            };
            429: components["responses"]["TooManyRequests"];
        };
    };
    get_public_product: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The product's slug. */
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The product. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProductDetail"];
                };
            };
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    profile: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The profile. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Profile"];
                };
            };
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    list_projects: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The projects. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Project"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    create_project: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProjectInput"];
            };
        };
        responses: {
            /** @description The new project. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Project"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    get_project: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The project's id. */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The project. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Project"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    put_project: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The project's id. */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProjectInput"];
            };
        };
        responses: {
            /** @description The replaced project. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Project"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    delete_project: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The project's id. */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    patch_project: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The project's id. */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProjectInput"];
            };
        };
        responses: {
            /** @description The changed project. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Project"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready to serve. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description The database does not answer. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
        };
    };
    get_asset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The asset's id. */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The asset. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SellerAsset"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    put_asset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The asset's id. */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AssetInput"];
            };
        };
        responses: {
            /** @description The replaced asset. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SellerAsset"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    delete_asset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The asset's id. */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    patch_asset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The asset's id. */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AssetInput"];
            };
        };
        responses: {
            /** @description The changed asset. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SellerAsset"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    get_price: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The price's id. */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The price. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SellerPrice"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    put_price: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The price's id. */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PriceInput"];
            };
        };
        responses: {
            /** @description The changed price. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SellerPrice"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Another request changed the default price at the same time; try again. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    delete_price: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The price's id. */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    patch_price: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The price's id. */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PriceInput"];
            };
        };
        responses: {
            /** @description The changed price. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SellerPrice"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Another request changed the default price at the same time; try again. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    list_products: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller's products. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SellerProduct"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    create_product: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProductInput"];
            };
        };
        responses: {
            /** @description The new product. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SellerProduct"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    get_product: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The product's id. */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The product. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SellerProduct"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    put_product: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The product's id. */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProductInput"];
            };
        };
        responses: {
            /** @description The replaced product. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SellerProduct"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    delete_product: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The product's id. */
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description A product with orders cannot be deleted; archive it instead. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            429: components["responses"]["TooManyRequests"];
        };
    };
    patch_product: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The product's id. */
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProductInput"];
            };
        };
        responses: {
            /** @description The changed product. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SellerProduct"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    list_assets: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The product's id. */
                product_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The assets. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SellerAsset"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    create_asset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The product's id. */
                product_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AssetInput"];
            };
        };
        responses: {
            /** @description The new asset. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SellerAsset"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    list_prices: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The product's id. */
                product_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The prices. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SellerPrice"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    create_price: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The product's id. */
                product_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PriceInput"];
            };
        };
        responses: {
            /** @description The new price. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SellerPrice"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Another request changed the default price at the same time; try again. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    get_offer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The product's id. */
                product_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The offer. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceOffer"];
                };
            };
            /** @description The product is not a service product. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrors"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    put_offer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The product's id. */
                product_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OfferInput"];
            };
        };
        responses: {
            /** @description The offer. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceOffer"];
                };
            };
            /** @description The product is not a service product, or a field is invalid. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrors"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Another request created the offer at the same time; try again. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    patch_offer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The product's id. */
                product_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OfferInput"];
            };
        };
        responses: {
            /** @description The offer. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceOffer"];
                };
            };
            /** @description The product is not a service product, or a field is invalid. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ValidationErrors"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Another request created the offer at the same time; try again. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    supabase_profile: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The probe's outcome. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SupabaseProfileProbe"];
                };
            };
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    receive_clerk_webhook: {
        parameters: {
            query?: never;
            header: {
                /** @description The delivery's event id. */
                "svix-id": string;
                /** @description Space-separated `v1,<base64 HMAC-SHA256>` entries. */
                "svix-signature": string;
                /** @description Unix seconds; within 5 minutes of now. */
                "svix-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        /** @description Clerk's event: `{type, data, …}`. */
        requestBody: {
            content: {
                "application/json": Record<string, unknown>;
            };
        };
        responses: {
            /** @description Processed, ignored, or already processed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookAck"];
                };
            };
            /** @description The signature is missing, wrong or too old (nothing stored). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookError"];
                };
            };
            /** @description The body is larger than 1 MiB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
            /** @description Processing failed; the event is stored `failed` so that Svix retries it. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorDetail"];
                };
            };
        };
    };
}
