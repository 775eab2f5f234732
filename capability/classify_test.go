package capability_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/capgen/capgen/capability"
)

// call is one operation called through a freshly minted handle.
type call struct {
	provider   *capability.Provider
	granted    []string
	capability string
	op         string
	params     []string
}

const (
	googleCal   = "https://www.googleapis.com/auth/calendar"
	googleCalRO = googleCal + ".readonly"
)

var (
	slackPost    = call{slack, []string{"chat:write"}, "message.write", "PostMessage", nil}
	googleList   = call{google, []string{googleCal}, "event.read", "ListCalendars", nil}
	githubIssues = call{github, []string{"repo"}, "issue.read", "ListIssues",
		[]string{"owner", "o", "repo", "r"}}
	hubspotGet = call{hubspot, []string{"crm.objects.contacts.read"}, "contact.read",
		"GetContact", []string{"contactId", "1"}}
)

func TestCallClassifiesProviderResponses(t *testing.T) {
	h := func(kv ...string) http.Header {
		header := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			header.Add(kv[i], kv[i+1])
		}
		return header
	}
	tests := []struct {
		name        string
		call        call
		status      int
		header      http.Header
		body        string
		want        *capability.Error // Provider, Operation and Capability come from call
		wantMessage string            // a part of Message
	}{
		{"slack: HTTP 200 missing_scope names the needed scope", slackPost, 200, nil,
			capability.SlackMissingScope,
			&capability.Error{Status: 403, Kind: capability.KindMissingScope,
				Missing: []string{"chat:write"}, HTTPStatus: 200}, "missing_scope"},
		{"slack: HTTP 200 invalid_auth", slackPost, 200, nil, capability.SlackInvalidAuth,
			&capability.Error{Status: 401, Kind: capability.KindInvalidCredentials,
				HTTPStatus: 200}, "invalid_auth"},
		{"slack: HTTP 200 ok is a success", slackPost, 200, nil, capability.SlackOK, nil, ""},
		{"slack: 429 with Retry-After seconds", slackPost, 429, h("Retry-After", "30"),
			`{"ok":false,"error":"ratelimited"}`,
			&capability.Error{Status: 429, Kind: capability.KindRateLimited, HTTPStatus: 429,
				RetryAfter: 30 * time.Second}, "ratelimited"},
		{"github: 403 with X-Accepted-OAuth-Scopes", githubIssues, 403,
			h("X-Accepted-OAuth-Scopes", "repo, admin:org", "X-OAuth-Scopes", "gist"),
			capability.GitHubNotAccepted,
			&capability.Error{Status: 403, Kind: capability.KindMissingScope,
				Missing: []string{"admin:org", "repo"}, MissingAnyOf: true, HTTPStatus: 403},
			"Resource not accessible by integration"},
		{"github: 403 with no requests left is a rate limit", githubIssues, 403,
			h("X-Accepted-OAuth-Scopes", "repo", "X-RateLimit-Remaining", "0"),
			`{"message":"API rate limit exceeded"}`,
			&capability.Error{Status: 429, Kind: capability.KindRateLimited, HTTPStatus: 403},
			"rate limit"},
		{"github: 401 bad credentials", githubIssues, 401, nil, capability.GitHubBadCreds,
			&capability.Error{Status: 401, Kind: capability.KindInvalidCredentials,
				HTTPStatus: 401}, "Bad credentials"},
		{"github: 404 without scope headers stays a 404", githubIssues, 404, nil,
			`{"message":"Not Found"}`,
			&capability.Error{Status: 404, Kind: capability.KindHTTP, HTTPStatus: 404},
			"Not Found"},
		{"google: 403 WWW-Authenticate insufficient_scope lists alternatives", googleList, 403,
			h("WWW-Authenticate", capability.GoogleAuthenticate), capability.GoogleInsufficient,
			&capability.Error{Status: 403, Kind: capability.KindMissingScope,
				Missing: []string{googleCal, googleCalRO}, MissingAnyOf: true, HTTPStatus: 403},
			"insufficient authentication scopes"},
		{"google: 403 body only falls back to what the operation accepts", googleList, 403,
			nil, capability.GoogleInsufficient,
			&capability.Error{Status: 403, Kind: capability.KindMissingScope,
				Missing: []string{googleCal, googleCalRO}, MissingAnyOf: true, HTTPStatus: 403},
			"insufficient authentication scopes"},
		{"google: other 403 is forbidden", googleList, 403, nil,
			`{"error":{"code":403,"message":"The caller does not have permission",` +
				`"status":"PERMISSION_DENIED"}}`,
			&capability.Error{Status: 403, Kind: capability.KindForbidden, HTTPStatus: 403},
			"does not have permission"},
		{"hubspot: 403 MISSING_SCOPES with requiredGranularScopes", hubspotGet, 403, nil,
			capability.HubSpotMissingScopes,
			&capability.Error{Status: 403, Kind: capability.KindMissingScope,
				Missing:      []string{"crm.objects.contacts.read", "sales-email-read"},
				MissingAnyOf: true, HTTPStatus: 403}, "hasn't been granted"},
		{"hubspot: 401 EXPIRED_AUTHENTICATION", hubspotGet, 401, nil,
			capability.HubSpotExpired,
			&capability.Error{Status: 401, Kind: capability.KindExpired, HTTPStatus: 401},
			"expired 0 second(s) ago"},
		{"hubspot: other 401 is invalid credentials", hubspotGet, 401, nil,
			`{"status":"error","message":"Authentication credentials not found."}`,
			&capability.Error{Status: 401, Kind: capability.KindInvalidCredentials,
				HTTPStatus: 401}, "credentials not found"},
		{"hubspot: unmatched 500 is an HTTP error", hubspotGet, 500, nil,
			"<html>\n<body>Internal   error</body></html>",
			&capability.Error{Status: 500, Kind: capability.KindHTTP, HTTPStatus: 500},
			"<html> <body>Internal error</body></html>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fixedServer(t, tt.status, tt.header, tt.body)
			c := tt.call
			handle := connect(t, c.provider, srv.URL, c.granted, c.capability)
			err := handle.Call(context.Background(), c.op,
				capability.Request{PathParams: c.params}, nil)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Call = %v, want success", err)
				}
				return
			}
			got, ok := errors.AsType[*capability.Error](err)
			if !ok {
				t.Fatalf("Call = %v, want a *capability.Error", err)
			}
			tt.want.Provider, tt.want.Operation = c.provider.Name(), c.op
			tt.want.Capability = c.capability
			ignore := cmpopts.IgnoreFields(capability.Error{}, "Message")
			if diff := cmp.Diff(tt.want, got, ignore, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Call error (-want +got):\n%s", diff)
			}
			if !strings.Contains(got.Message, tt.wantMessage) {
				t.Errorf("Message = %q, want it to contain %q", got.Message, tt.wantMessage)
			}
			checkSentinels(t, err, got.Status)
		})
	}
}

func checkSentinels(t *testing.T, err error, status int) {
	t.Helper()
	sentinels := map[error]int{
		capability.ErrUnauthorized: 401,
		capability.ErrForbidden:    403,
		capability.ErrRateLimited:  429,
	}
	for sentinel, s := range sentinels {
		if got, want := errors.Is(err, sentinel), status == s; got != want {
			t.Errorf("errors.Is(err, %v) = %v, want %v", sentinel, got, want)
		}
	}
	if errors.Is(err, capability.ErrNoHandle) {
		t.Errorf("errors.Is(err, ErrNoHandle) for a response error")
	}
}

func TestRetryAfterDate(t *testing.T) {
	at := time.Now().Add(2 * time.Minute).UTC().Format(http.TimeFormat)
	srv := fixedServer(t, 429, http.Header{"Retry-After": {at}}, `{}`)
	handle := connect(t, hubspot, srv.URL, []string{"contacts"}, "contact.read")
	err := handle.Call(context.Background(), "GetContact",
		capability.Request{PathParams: []string{"contactId", "1"}}, nil)
	e, ok := errors.AsType[*capability.Error](err)
	if !ok || e.RetryAfter < time.Minute || e.RetryAfter > 2*time.Minute {
		t.Errorf("Call = %#v, want a RetryAfter near two minutes", err)
	}
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		name string
		err  *capability.Error
		want string
	}{
		{"missing scopes", &capability.Error{Status: 403, Kind: capability.KindMissingScope,
			Provider: "hubspot", Operation: "GetContact", Capability: "contact.read",
			Missing: []string{"crm.objects.contacts.read"}},
			"hubspot: GetContact (contact.read): 403 missing scope: " +
				"missing crm.objects.contacts.read"},
		{"alternatives", &capability.Error{Status: 403, Kind: capability.KindMissingScope,
			Provider: "google", Operation: "ListCalendars", Capability: "event.read",
			Missing: []string{"a", "b"}, MissingAnyOf: true, Message: "not shown"},
			"google: ListCalendars (event.read): 403 missing scope: missing one of a, b"},
		{"rate limit", &capability.Error{Status: 429, Kind: capability.KindRateLimited,
			Provider: "slack", Operation: "PostMessage", RetryAfter: 30 * time.Second,
			Message: "ratelimited"},
			"slack: PostMessage: 429 rate limited: ratelimited (retry after 30s)"},
		{"unmatched status", &capability.Error{Status: 502, Kind: capability.KindHTTP,
			Provider: "github", Operation: "GetOrg", Capability: "org.read",
			Message: "bad gateway"},
			"github: GetOrg (org.read): 502 bad gateway: bad gateway"},
		{"no status", &capability.Error{Kind: capability.KindNoHandle, Message: "zero handle"},
			"capability: no handle: zero handle"},
		{"cause not printed", &capability.Error{Kind: capability.KindRequest, Provider: "x",
			Message: "sending failed", Err: errors.New("secret detail")},
			"x: request failed: sending failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}
