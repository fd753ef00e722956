//! The URLs of the Supabase APIs, as pure functions of the project URL.
//!
//! Every user-supplied part (table, user id, bucket, object path) goes in through the
//! `url` crate's encoders, so none of them can add a path segment or a query parameter.

use url::Url;

/// Appends `segments` to the path of `base`, keeping any path prefix it has.
fn with_segments<'a>(base: &Url, segments: impl IntoIterator<Item = &'a str>) -> Url {
    let mut url = base.clone();
    url.set_query(None);
    url.set_fragment(None);
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url
}

/// `GET {base}/rest/v1/{table}?select=*&clerk_user_id=eq.{id}&limit=1`.
pub fn profile_query(base: &Url, table: &str, clerk_user_id: &str) -> Url {
    let mut url = with_segments(base, ["rest", "v1", table]);
    url.query_pairs_mut()
        .append_pair("select", "*")
        .append_pair("clerk_user_id", &format!("eq.{clerk_user_id}"))
        .append_pair("limit", "1");
    url
}

/// `POST {base}/storage/v1/object/sign/{bucket}/{path}`; `path` is `/`-separated and
/// each of its segments is encoded on its own.
pub fn sign_object(base: &Url, bucket: &str, path: &str) -> Url {
    let object = path.trim_start_matches('/').split('/');
    with_segments(
        base,
        ["storage", "v1", "object", "sign", bucket]
            .into_iter()
            .chain(object),
    )
}

/// The download URL for Storage's `signedURL` answer.
///
/// An absolute URL is kept. A relative one is joined to the project URL: Storage
/// answers relative to its own root (`/object/sign/…?token=…`, which the official
/// clients append to `{SUPABASE_URL}/storage/v1`), and a path that already starts with
/// `/storage/v1/` is joined to `SUPABASE_URL` as it is. `None` for an empty answer or a
/// URL that is not http(s).
pub fn resolve_signed(base: &Url, signed: &str) -> Option<Url> {
    let signed = signed.trim();
    if signed.is_empty() {
        return None;
    }
    if let Ok(absolute) = Url::parse(signed) {
        return matches!(absolute.scheme(), "http" | "https").then_some(absolute);
    }
    let relative = signed.trim_start_matches('/');
    let relative = if relative.starts_with("storage/v1/") {
        relative.to_owned()
    } else {
        format!("storage/v1/{relative}")
    };
    let mut root = base.clone();
    root.set_query(None);
    root.set_fragment(None);
    if !root.path().ends_with('/') {
        let path = format!("{}/", root.path());
        root.set_path(&path);
    }
    root.join(&relative).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(url: &str) -> Url {
        Url::parse(url).expect("url")
    }

    #[test]
    fn the_profile_query_encodes_the_table_and_the_id() {
        assert_eq!(
            profile_query(&base("https://abc.supabase.co"), "profiles", "user_2abc").as_str(),
            "https://abc.supabase.co/rest/v1/profiles?select=*&clerk_user_id=eq.user_2abc&limit=1"
        );
        let tricky = profile_query(&base("https://abc.supabase.co/"), "a/b?c", "x&limit=99");
        assert_eq!(tricky.path(), "/rest/v1/a%2Fb%3Fc");
        let pairs: Vec<(String, String)> = tricky.query_pairs().into_owned().collect();
        assert_eq!(pairs[1], ("clerk_user_id".into(), "eq.x&limit=99".into()));
        assert_eq!(pairs.len(), 3);
    }

    #[test]
    fn the_sign_endpoint_encodes_each_segment() {
        assert_eq!(
            sign_object(
                &base("https://abc.supabase.co"),
                "digital-assets",
                "/books/my guide.pdf"
            )
            .as_str(),
            "https://abc.supabase.co/storage/v1/object/sign/digital-assets/books/my%20guide.pdf"
        );
    }

    #[test]
    fn relative_signed_urls_are_joined_to_the_project_url() {
        let project = base("https://abc.supabase.co");
        let join = |signed: &str| resolve_signed(&project, signed).map(String::from);
        assert_eq!(
            join("/object/sign/digital-assets/a.pdf?token=t1").as_deref(),
            Some("https://abc.supabase.co/storage/v1/object/sign/digital-assets/a.pdf?token=t1")
        );
        assert_eq!(
            join("/storage/v1/object/sign/b/a.pdf?token=t2").as_deref(),
            Some("https://abc.supabase.co/storage/v1/object/sign/b/a.pdf?token=t2")
        );
        assert_eq!(
            join("https://cdn.example.com/x?token=t3").as_deref(),
            Some("https://cdn.example.com/x?token=t3")
        );
        assert_eq!(join(""), None);
        assert_eq!(join("javascript:alert(1)"), None);
        // A project URL behind a path prefix keeps it.
        assert_eq!(
            resolve_signed(
                &base("http://127.0.0.1:54321/proxy"),
                "/object/sign/b/a?token=t"
            )
            .map(String::from)
            .as_deref(),
            Some("http://127.0.0.1:54321/proxy/storage/v1/object/sign/b/a?token=t")
        );
    }
}
