/*
 * routes.c — the route table: method, path pattern, handler, who may call.
 * Role checks beyond "authenticated" live in the service layer.
 */
#include "http/http.h"

const struct route routes[] = {
	{"GET", "/api/v1/issues", api_issues_list, ROUTE_AUTH, "issues_list"},
	{"POST", "/api/v1/issues", api_issues_create, ROUTE_AUTH, "issues_create"},
	{"GET", "/api/v1/issues/{n}", api_issue_get, ROUTE_AUTH, "issue_get"},
	{"PATCH", "/api/v1/issues/{n}", api_issue_patch, ROUTE_AUTH, "issue_patch"},
	{"GET", "/api/v1/issues/{n}/history", api_issue_history, ROUTE_AUTH, "issue_history"},
	{"POST", "/api/v1/issues/{n}/triage", api_issue_triage, ROUTE_AUTH, "issue_triage"},
	{"GET", "/api/v1/triage", api_triage_inbox, ROUTE_AUTH, "triage_inbox"},
	{"GET", "/api/v1/security/due", api_security_due, ROUTE_AUTH, "security_due"},
	{"GET", "/api/v1/issues/{n}/insights", api_issue_insights, ROUTE_AUTH, "issue_insights"},
	{"POST", "/api/v1/issues/{n}/answer", api_issue_answer, ROUTE_AUTH, "issue_answer"},
	{"GET", "/api/v1/customers", api_customers_list, ROUTE_AUTH, "customers_list"},
	{"POST", "/api/v1/customers", api_customers_create, ROUTE_AUTH, "customers_create"},
	{"GET", "/api/v1/personas", api_personas_list, ROUTE_AUTH, "personas_list"},
	{"POST", "/api/v1/personas", api_personas_create, ROUTE_AUTH, "personas_create"},
	{"GET", "/api/v1/insights", api_insights_list, ROUTE_AUTH, "insights_list"},
	{"POST", "/api/v1/insights", api_insights_create, ROUTE_AUTH, "insights_create"},
	{"GET", "/api/v1/insights/{n}", api_insight_get, ROUTE_AUTH, "insight_get"},
	{"POST", "/api/v1/insights/{n}/links", api_insight_link, ROUTE_AUTH, "insight_link"},
	{"DELETE", "/api/v1/insights/{n}/links/{n}", api_insight_unlink, ROUTE_AUTH, "insight_unlink"},
	{"GET", "/api/v1/backlog", api_backlog, ROUTE_AUTH, "backlog"},
	{"GET", "/api/v1/settings", api_settings_get, ROUTE_AUTH, "settings_get"},
	{"PATCH", "/api/v1/settings", api_settings_patch, ROUTE_AUTH, "settings_patch"},
	{"POST", "/api/v1/session", api_session_create, ROUTE_PUBLIC, "session_create"},
	{"GET", "/api/v1/session", api_session_get, ROUTE_AUTH, "session_get"},
	{"DELETE", "/api/v1/session", api_session_delete, ROUTE_AUTH, "session_delete"},
	{"GET", "/api/v1/users", api_users_list, ROUTE_AUTH, "users_list"},
	{"POST", "/api/v1/users", api_users_create, ROUTE_AUTH, "users_create"},
	{"POST", "/api/v1/tokens", api_tokens_create, ROUTE_AUTH, "tokens_create"},
	{"GET", "/healthz", api_healthz, ROUTE_PUBLIC, "healthz"},
	{"GET", "/metrics", api_metrics, ROUTE_PUBLIC, "metrics"},
};

const int routes_count = sizeof routes / sizeof routes[0];
