package capability

// Provider tables shaped like the ones generated for real providers, shared
// by the internal and external tests. The error rules follow the responses
// recorded in ../shared/research/provider-auth.md.

// SlackSpec answers failures with HTTP 200 and "ok": false.
func SlackSpec() ProviderSpec {
	return ProviderSpec{
		Name:    "slack",
		Title:   "Slack",
		BaseURL: "https://slack.com/api",
		GrantedScopes: GrantedScopes{Sources: []ScopeSource{
			{From: FromToken, Field: "scope", Separator: ","},
			{From: FromToken, Field: "authed_user.scope", Separator: ","},
			{From: FromHeader, Header: "X-OAuth-Scopes", Separator: ","},
		}},
		Scopes: []ScopeSpec{
			{Name: "chat:write"}, {Name: "users:read"}, {Name: "users:read.email"},
		},
		Capabilities: []CapabilitySpec{
			{Name: "message.write", Requirement: Requirement{AnyOf: [][]string{{"chat:write"}}}},
			{Name: "user.read", Requirement: Requirement{AnyOf: [][]string{{"users:read"}}}},
		},
		Operations: []OperationSpec{
			{Name: "PostMessage", Method: "POST", Path: "/chat.postMessage",
				Capability:  "message.write",
				Requirement: Requirement{AnyOf: [][]string{{"chat:write"}}}},
			{Name: "ListUsers", Method: "GET", Path: "/users.list", Capability: "user.read",
				Requirement: Requirement{AnyOf: [][]string{{"users:read"}}}},
		},
		Errors: []ErrorRule{
			{Kind: KindRateLimited, Status: []int{429}, RetryAfter: "Retry-After"},
			{Kind: KindExpired, Status: []int{200}, Body: []Predicate{
				{Path: "error", Test: TestEquals, Values: []string{"token_expired"}}}},
			{Kind: KindInvalidCredentials, Status: []int{200}, Body: []Predicate{
				{Path: "ok", Test: TestEquals, Values: []string{"false"}},
				{Path: "error", Test: TestIn, Values: []string{
					"invalid_auth", "not_authed", "token_revoked", "account_inactive"}}}},
			{Kind: KindMissingScope, Status: []int{200}, Body: []Predicate{
				{Path: "ok", Test: TestEquals, Values: []string{"false"}},
				{Path: "error", Test: TestEquals, Values: []string{"missing_scope"}}},
				Missing: &MissingScopes{Body: "needed", Separator: ","}},
		},
	}
}

// GitHubSpec compresses granted scopes and names accepted scopes in a header.
func GitHubSpec() ProviderSpec {
	return ProviderSpec{
		Name:    "github",
		Title:   "GitHub",
		BaseURL: "https://api.github.com",
		GrantedScopes: GrantedScopes{Compressed: true, Sources: []ScopeSource{
			{From: FromToken, Field: "scope", Separator: ","},
			{From: FromHeader, Header: "X-OAuth-Scopes", Separator: ","},
		}},
		Scopes: []ScopeSpec{
			{Name: "repo", Implies: []string{"repo:status", "public_repo"}},
			{Name: "repo:status"}, {Name: "public_repo"},
			{Name: "admin:org", Implies: []string{"write:org"}},
			{Name: "write:org", Implies: []string{"read:org"}},
			{Name: "read:org"},
		},
		Capabilities: []CapabilitySpec{
			{Name: "org.read", Requirement: Requirement{AnyOf: [][]string{{"read:org"}}}},
			{Name: "issue.read", Requirement: Requirement{AnyOf: [][]string{{"repo"}}}},
		},
		Operations: []OperationSpec{
			{Name: "GetOrg", Method: "GET", Path: "/orgs/{org}", Capability: "org.read",
				Requirement: Requirement{AnyOf: [][]string{{"read:org"}}}},
			{Name: "ListIssues", Method: "GET", Path: "/repos/{owner}/{repo}/issues",
				Capability: "issue.read", Requirement: Requirement{AnyOf: [][]string{{"repo"}}}},
		},
		Errors: []ErrorRule{
			{Kind: KindRateLimited, Status: []int{403, 429}, RetryAfter: "Retry-After",
				Header: []Predicate{{Header: "X-RateLimit-Remaining", Test: TestEquals,
					Values: []string{"0"}}}},
			{Kind: KindRateLimited, Status: []int{403, 429}, RetryAfter: "Retry-After",
				Header: []Predicate{{Header: "Retry-After", Test: TestPresent}}},
			{Kind: KindInvalidCredentials, Status: []int{401}},
			{Kind: KindMissingScope, Status: []int{403, 404},
				Header:  []Predicate{{Header: "X-Accepted-OAuth-Scopes", Test: TestPresent}},
				Missing: &MissingScopes{Header: "X-Accepted-OAuth-Scopes", AnyOf: true}},
		},
	}
}

// GoogleSpec names acceptable scopes in WWW-Authenticate.
func GoogleSpec() ProviderSpec {
	const cal = "https://www.googleapis.com/auth/calendar"
	return ProviderSpec{
		Name:    "google",
		Title:   "Google",
		BaseURL: "https://www.googleapis.com",
		GrantedScopes: GrantedScopes{Sources: []ScopeSource{
			{From: FromToken, Field: "scope", Separator: " "},
		}},
		Scopes: []ScopeSpec{
			{Name: cal, Implies: []string{cal + ".readonly"}},
			{Name: cal + ".readonly"},
		},
		Capabilities: []CapabilitySpec{
			{Name: "event.read", Requirement: Requirement{AnyOf: [][]string{{cal + ".readonly"}}}},
		},
		Operations: []OperationSpec{
			{Name: "ListCalendars", Method: "GET", Path: "/calendar/v3/users/me/calendarList",
				Capability:  "event.read",
				Requirement: Requirement{AnyOf: [][]string{{cal + ".readonly"}, {cal}}}},
		},
		Errors: []ErrorRule{
			{Kind: KindRateLimited, Status: []int{429}, RetryAfter: "Retry-After"},
			{Kind: KindInvalidCredentials, Status: []int{401}},
			{Kind: KindMissingScope, Status: []int{403},
				Header: []Predicate{{Header: "WWW-Authenticate", Test: TestMatches,
					Values: []string{`error="insufficient_scope"`}}},
				Missing: &MissingScopes{Header: "WWW-Authenticate",
					Pattern: `scope="([^"]+)"`, Separator: " ", AnyOf: true}},
			{Kind: KindMissingScope, Status: []int{403}, Body: []Predicate{
				{Path: "error.details.*.reason", Test: TestEquals,
					Values: []string{"ACCESS_TOKEN_SCOPE_INSUFFICIENT"}}}},
			{Kind: KindForbidden, Status: []int{403}},
		},
	}
}

// HubSpotSpec puts the category of a failure and the required scopes in
// the body.
func HubSpotSpec() ProviderSpec {
	const read, write = "crm.objects.contacts.read", "crm.objects.contacts.write"
	return ProviderSpec{
		Name:    "hubspot",
		Title:   "HubSpot",
		BaseURL: "https://api.hubapi.com",
		GrantedScopes: GrantedScopes{Sources: []ScopeSource{
			{From: FromToken, Field: "scopes", Array: true},
		}},
		Scopes: []ScopeSpec{
			{Name: read},
			{Name: write, Implies: []string{read}},
			{Name: "contacts", Implies: []string{read, write}, Deprecated: true,
				ReplacedBy: []string{read, write}},
		},
		Capabilities: []CapabilitySpec{
			{Name: "contact.read", Requirement: Requirement{AnyOf: [][]string{{read}}}},
			{Name: "contact.write", Requirement: Requirement{AnyOf: [][]string{{write}}}},
		},
		Operations: []OperationSpec{
			{Name: "GetContact", Method: "GET", Path: "/crm/v3/objects/contacts/{contactId}",
				Capability: "contact.read", Probe: true,
				Requirement: Requirement{AnyOf: [][]string{{read}, {write}}}},
			{Name: "CreateContact", Method: "POST", Path: "/crm/v3/objects/contacts",
				Capability: "contact.write", Requirement: Requirement{AnyOf: [][]string{{write}}}},
			{Name: "ArchiveContact", Method: "DELETE",
				Path: "/crm/v3/objects/contacts/{contactId}", Capability: "contact.write"},
		},
		Errors: []ErrorRule{
			{Kind: KindRateLimited, Status: []int{429}, RetryAfter: "Retry-After"},
			{Kind: KindExpired, Status: []int{401}, Body: []Predicate{
				{Path: "category", Test: TestEquals, Values: []string{"EXPIRED_AUTHENTICATION"}}}},
			{Kind: KindMissingScope, Status: []int{403}, Body: []Predicate{
				{Path: "category", Test: TestEquals, Values: []string{"MISSING_SCOPES"}}},
				Missing: &MissingScopes{Body: "errors.*.context.requiredGranularScopes",
					AnyOf: true}},
			{Kind: KindInvalidCredentials, Status: []int{401}},
		},
	}
}

// Response bodies as the providers send them.
const (
	SlackMissingScope = `{"ok":false,"error":"missing_scope","needed":"chat:write",` +
		`"provided":"incoming-webhook,files:write"}`
	SlackInvalidAuth  = `{"ok":false,"error":"invalid_auth"}`
	SlackOK           = `{"ok":true,"channel":"C123","ts":"1503435956.000247"}`
	GitHubNotAccepted = `{"message":"Resource not accessible by integration"}`
	GitHubBadCreds    = `{"message":"Bad credentials",` +
		`"documentation_url":"https://docs.github.com/rest"}`
	GoogleInsufficient = `{"error":{"code":403,"message":"Request had insufficient ` +
		`authentication scopes.","errors":[{"message":"Insufficient Permission",` +
		`"domain":"global","reason":"insufficientPermissions"}],"status":"PERMISSION_DENIED",` +
		`"details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo",` +
		`"reason":"ACCESS_TOKEN_SCOPE_INSUFFICIENT","domain":"googleapis.com",` +
		`"metadata":{"service":"calendar-json.googleapis.com",` +
		`"method":"calendar.v3.CalendarList.List"}}]}}`
	GoogleAuthenticate = `Bearer realm="https://accounts.google.com/", ` +
		`error="insufficient_scope", scope="https://www.googleapis.com/auth/calendar ` +
		`https://www.googleapis.com/auth/calendar.readonly"`
	HubSpotMissingScopes = `{"status":"error","message":"This app hasn't been granted ` +
		`all required scopes to make this call. Read more about required scopes here: ` +
		`https://developers.hubspot.com/scopes.","correlationId":"c0ffee",` +
		`"errors":[{"message":"One or more of the following scopes are required.",` +
		`"context":{"requiredGranularScopes":["crm.objects.contacts.read",` +
		`"sales-email-read"]}}],"links":{"scopes":"https://developers.hubspot.com/scopes"},` +
		`"category":"MISSING_SCOPES"}`
	HubSpotExpired = `{"status":"error","message":"The OAuth token used to make this ` +
		`call expired 0 second(s) ago.","correlationId":"c0ffee",` +
		`"category":"EXPIRED_AUTHENTICATION",` +
		`"context":{"expire time":["2026-03-10T23:04:41.164Z"]}}`
)
