//! Projects: owner scoping, slug rules, validation, and the write methods.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{TestApp, body};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_list_get_update_delete() {
    let app = TestApp::spawn().await;
    let (status, created) = body(
        app.send_as(
            "user_o",
            Method::POST,
            "/api/projects/",
            &json!({"name": "  Launch Pad  ", "monthly_recurring_revenue": "1250.5", "target_launch_date": "2027-01-15"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["name"], "Launch Pad");
    assert_eq!(created["slug"], "launch-pad");
    assert_eq!(created["status"], "idea");
    assert_eq!(created["monthly_recurring_revenue"], "1250.50");
    assert_eq!(created["target_launch_date"], "2027-01-15");
    let id = created["id"].as_i64().unwrap();

    let (_, list) = body(app.get_as("user_o", "/api/projects/").await).await;
    assert_eq!(list.as_array().unwrap().len(), 1);

    let path = format!("/api/projects/{id}/");
    let (status, patched) = body(
        app.send_as(
            "user_o",
            Method::PATCH,
            &path,
            &json!({"name": "Renamed", "status": "live"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["name"], "Renamed");
    assert_eq!(patched["slug"], "launch-pad", "PATCH without slug keeps it");
    assert_eq!(patched["status"], "live");
    assert_eq!(patched["target_launch_date"], "2027-01-15");

    let (status, cleared) = body(
        app.send_as(
            "user_o",
            Method::PATCH,
            &path,
            &json!({"target_launch_date": null, "slug": "New Slug!"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{cleared}");
    assert_eq!(cleared["target_launch_date"], json!(null));
    assert_eq!(cleared["slug"], "new-slug");

    let (status, put_without_name) = body(
        app.send_as("user_o", Method::PUT, &path, &json!({"summary": "x"}))
            .await,
    )
    .await;
    assert_eq!(status, 400);
    assert!(put_without_name["name"].is_array());
    let (status, put) = body(
        app.send_as(
            "user_o",
            Method::PUT,
            &path,
            &json!({"name": "Full", "summary": " s "}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{put}");
    assert_eq!(put["summary"], "s");

    let response = app
        .request(Method::DELETE, &path)
        .bearer_auth(app.token("user_o"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(app.get_as("user_o", &path).await.status().as_u16(), 404);
    assert_eq!(app.count("projects").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_users_project_is_404_for_every_method_and_unchanged() {
    let app = TestApp::spawn().await;
    let (_, created) = body(
        app.send_as(
            "user_owner",
            Method::POST,
            "/api/projects/",
            &json!({"name": "Mine"}),
        )
        .await,
    )
    .await;
    let path = format!("/api/projects/{}/", created["id"]);
    assert_eq!(app.get_as("user_other", &path).await.status().as_u16(), 404);
    for method in [Method::PATCH, Method::PUT, Method::DELETE] {
        let status = app
            .send_as(
                "user_other",
                method.clone(),
                &path,
                &json!({"name": "Stolen"}),
            )
            .await
            .status()
            .as_u16();
        assert_eq!(status, 404, "{method}");
    }
    let (_, list) = body(app.get_as("user_other", "/api/projects/").await).await;
    assert_eq!(list, json!([]));
    let (_, still) = body(app.get_as("user_owner", &path).await).await;
    assert_eq!(still["name"], "Mine");
    assert_eq!(
        app.get_as("user_owner", "/api/projects/999999/")
            .await
            .status()
            .as_u16(),
        404
    );
    assert_eq!(
        app.get_as("user_owner", "/api/projects/abc/")
            .await
            .status()
            .as_u16(),
        404
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slugs_are_unique_per_owner_only() {
    let app = TestApp::spawn().await;
    let create = |user: &'static str, body: serde_json::Value| {
        let app = &app;
        async move {
            crate::helpers::body(
                app.send_as(user, Method::POST, "/api/projects/", &body)
                    .await,
            )
            .await
        }
    };
    assert_eq!(create("user_a", json!({"name": "Shop"})).await.0, 201);
    let (status, clash) = create("user_a", json!({"name": "Other", "slug": "SHOP"})).await;
    assert_eq!(status, 400);
    assert!(clash["slug"].is_array(), "{clash}");
    let (status, same_name) = create("user_a", json!({"name": "Shop"})).await;
    assert_eq!(status, 400, "{same_name}");
    assert_eq!(create("user_b", json!({"name": "Shop"})).await.0, 201);
    assert_eq!(app.count("projects").await, 2);

    // Renaming onto a taken slug is refused too.
    let (_, second) = create("user_a", json!({"name": "Second"})).await;
    let path = format!("/api/projects/{}/", second["id"]);
    let (status, _) = body(
        app.send_as("user_a", Method::PATCH, &path, &json!({"slug": "shop"}))
            .await,
    )
    .await;
    assert_eq!(status, 400);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_fields_are_named_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let cases = [
        (json!({"name": "   "}), "name"),
        (json!({"summary": "no name"}), "name"),
        (json!({"name": "x".repeat(161)}), "name"),
        (json!({"name": "ok", "slug": "s".repeat(181)}), "slug"),
        (json!({"name": "!!!"}), "slug"),
        (
            json!({"name": "ok", "monthly_recurring_revenue": "-1"}),
            "monthly_recurring_revenue",
        ),
        (
            json!({"name": "ok", "monthly_recurring_revenue": -5}),
            "monthly_recurring_revenue",
        ),
        (
            json!({"name": "ok", "monthly_recurring_revenue": "1.234"}),
            "monthly_recurring_revenue",
        ),
        (
            json!({"name": "ok", "monthly_recurring_revenue": "lots"}),
            "monthly_recurring_revenue",
        ),
        (json!({"name": "ok", "status": "shipped"}), "status"),
        (
            json!({"name": "ok", "target_launch_date": "next week"}),
            "target_launch_date",
        ),
        (json!({"name": 42}), "name"),
    ];
    for (input, field) in cases {
        let (status, errors) = body(
            app.send_as("user_v", Method::POST, "/api/projects/", &input)
                .await,
        )
        .await;
        assert_eq!(status, 400, "{input}: {errors}");
        assert!(
            errors[field].is_array(),
            "{input}: expected {field} in {errors}"
        );
    }
    assert_eq!(app.count("projects").await, 0);
    // A 160-character name is fine.
    let (status, _) = body(
        app.send_as(
            "user_v",
            Method::POST,
            "/api/projects/",
            &json!({"name": "y".repeat(160)}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201);
}
