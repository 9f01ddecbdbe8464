/*
 * routes.c — the route table: method, path pattern, handler, who may call.
 * Role checks beyond "authenticated" live in the service layer.
 */
#include "http/http.h"

/* method, pattern, handler, who, metrics name, body is CSV */
const struct route routes[] = {
	{"GET", "/api/v1/issues", api_issues_list, ROUTE_AUTH, "issues_list", 0},
	{"POST", "/api/v1/issues", api_issues_create, ROUTE_AUTH, "issues_create", 0},
	{"GET", "/api/v1/issues/{n}", api_issue_get, ROUTE_AUTH, "issue_get", 0},
	{"PATCH", "/api/v1/issues/{n}", api_issue_patch, ROUTE_AUTH, "issue_patch", 0},
	{"GET", "/api/v1/issues/{n}/history", api_issue_history, ROUTE_AUTH, "issue_history", 0},
	{"POST", "/api/v1/issues/{n}/triage", api_issue_triage, ROUTE_AUTH, "issue_triage", 0},
	{"GET", "/api/v1/triage", api_triage_inbox, ROUTE_AUTH, "triage_inbox", 0},
	{"GET", "/api/v1/security/due", api_security_due, ROUTE_AUTH, "security_due", 0},
	{"GET", "/api/v1/issues/{n}/insights", api_issue_insights, ROUTE_AUTH, "issue_insights", 0},
	{"POST", "/api/v1/issues/{n}/answer", api_issue_answer, ROUTE_AUTH, "issue_answer", 0},
	{"GET", "/api/v1/customers", api_customers_list, ROUTE_AUTH, "customers_list", 0},
	{"POST", "/api/v1/customers", api_customers_create, ROUTE_AUTH, "customers_create", 0},
	{"GET", "/api/v1/personas", api_personas_list, ROUTE_AUTH, "personas_list", 0},
	{"POST", "/api/v1/personas", api_personas_create, ROUTE_AUTH, "personas_create", 0},
	{"GET", "/api/v1/insights", api_insights_list, ROUTE_AUTH, "insights_list", 0},
	{"POST", "/api/v1/insights", api_insights_create, ROUTE_AUTH, "insights_create", 0},
	{"GET", "/api/v1/insights/{n}", api_insight_get, ROUTE_AUTH, "insight_get", 0},
	{"POST", "/api/v1/insights/{n}/links", api_insight_link, ROUTE_AUTH, "insight_link", 0},
	{"DELETE", "/api/v1/insights/{n}/links/{n}", api_insight_unlink, ROUTE_AUTH, "insight_unlink", 0},
	{"GET", "/api/v1/backlog", api_backlog, ROUTE_AUTH, "backlog", 0},
	{"GET", "/api/v1/backlog/movers", api_backlog_movers, ROUTE_AUTH, "backlog_movers", 0},
	{"GET", "/api/v1/customers/{n}", api_customer_get, ROUTE_AUTH, "customer_get", 0},
	{"PATCH", "/api/v1/insights/{n}", api_insight_patch, ROUTE_AUTH, "insight_patch", 0},
	{"POST", "/api/v1/insights/import", api_insights_import, ROUTE_AUTH, "insights_import", 1},
	{"GET", "/api/v1/insights/export", api_insights_export, ROUTE_AUTH, "insights_export", 0},
	{"GET", "/api/v1/settings", api_settings_get, ROUTE_AUTH, "settings_get", 0},
	{"PATCH", "/api/v1/settings", api_settings_patch, ROUTE_AUTH, "settings_patch", 0},
	{"POST", "/api/v1/session", api_session_create, ROUTE_PUBLIC, "session_create", 0},
	{"GET", "/api/v1/session", api_session_get, ROUTE_AUTH, "session_get", 0},
	{"DELETE", "/api/v1/session", api_session_delete, ROUTE_AUTH, "session_delete", 0},
	{"GET", "/api/v1/users", api_users_list, ROUTE_AUTH, "users_list", 0},
	{"POST", "/api/v1/users", api_users_create, ROUTE_AUTH, "users_create", 0},
	{"POST", "/api/v1/tokens", api_tokens_create, ROUTE_AUTH, "tokens_create", 0},
	{"GET", "/healthz", api_healthz, ROUTE_PUBLIC, "healthz", 0},
	{"GET", "/metrics", api_metrics, ROUTE_PUBLIC, "metrics", 0},
};

const int routes_count = sizeof routes / sizeof routes[0];
