// Package generated_test calls the packages generated from the bundled specs
// against servers that answer in each provider's native shapes, and checks
// that every failure reaches the caller as the same *capability.Error.
package generated_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/capgen/capgen/capability"
	"github.com/capgen/capgen/generated/github"
	"github.com/capgen/capgen/generated/googledrive"
	"github.com/capgen/capgen/generated/hubspot"
	"github.com/capgen/capgen/generated/microsoftgraph"
	"github.com/capgen/capgen/generated/slack"
)

// answer is a canned response.
type answer struct {
	status  int
	headers map[string]string
	body    string
}

func serve(t *testing.T, a answer) (string, oauth2.TokenSource) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range a.headers {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(a.status)
		w.Write([]byte(a.body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL, oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "xoxb-secret-token"})
}

// want is the normalized error a native failure must become.
type want struct {
	status  int
	kind    capability.Kind
	missing []string
}

func check(t *testing.T, err error, w want) {
	t.Helper()
	var e *capability.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want a *capability.Error", err)
	}
	if e.Status != w.status || e.Kind != w.kind {
		t.Errorf("got status %d kind %s, want %d %s (%v)", e.Status, e.Kind, w.status, w.kind, err)
	}
	if w.missing != nil && !slices.Equal(e.Missing, w.missing) {
		t.Errorf("Missing = %v, want %v", e.Missing, w.missing)
	}
}

func TestSlackAnswersHTTP200Failures(t *testing.T) {
	tests := []struct {
		name string
		body string
		want want
	}{
		{"missing scope", `{"ok":false,"error":"missing_scope","needed":"chat:write",` +
			`"provided":"channels:read"}`, want{403, capability.KindMissingScope, []string{"chat:write"}}},
		{"expired token", `{"ok":false,"error":"token_expired"}`, want{401, capability.KindExpired, nil}},
		{"revoked token", `{"ok":false,"error":"token_revoked"}`,
			want{401, capability.KindInvalidCredentials, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, ts := serve(t, answer{200, nil, tt.body})
			c := slack.NewClient(ts, capability.WithBaseURL(base))
			h, err := c.Grant([]string{"chat:write"}).MessageWrite()
			if err != nil {
				t.Fatal(err)
			}
			_, err = h.PostMessage(context.Background(), &slack.PostMessageBody{Channel: "C1", Text: "hi"})
			check(t, err, tt.want)
		})
	}
}

func TestSlackSuccessIsNotAnError(t *testing.T) {
	base, ts := serve(t, answer{200, nil, `{"ok":true,"channel":"C1","ts":"1.2"}`})
	h, _ := slack.NewClient(ts, capability.WithBaseURL(base)).Grant([]string{"chat:write"}).MessageWrite()
	res, err := h.PostMessage(context.Background(), &slack.PostMessageBody{Channel: "C1", Text: "hi"})
	if err != nil || res.Ts != "1.2" {
		t.Fatalf("PostMessage = %+v, %v", res, err)
	}
}

func TestGitHubFailures(t *testing.T) {
	tests := []struct {
		name string
		a    answer
		want want
	}{
		{"missing scope", answer{403, map[string]string{"X-Accepted-OAuth-Scopes": "repo",
			"X-OAuth-Scopes": "read:user", "X-RateLimit-Remaining": "4999"},
			`{"message":"Resource not accessible by integration"}`},
			want{403, capability.KindMissingScope, []string{"repo"}}},
		{"rate limit", answer{403, map[string]string{"X-RateLimit-Remaining": "0"},
			`{"message":"API rate limit exceeded"}`}, want{429, capability.KindRateLimited, nil}},
		{"bad credentials", answer{401, nil, `{"message":"Bad credentials"}`},
			want{401, capability.KindInvalidCredentials, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, ts := serve(t, tt.a)
			h, err := github.NewClient(ts, capability.WithBaseURL(base)).Grant([]string{"repo"}).IssueRead()
			if err != nil {
				t.Fatal(err)
			}
			_, err = h.GetIssue(context.Background(), github.GetIssueParams{Owner: "o", Repo: "r", IssueNumber: 1})
			check(t, err, tt.want)
		})
	}
}

func TestGitHubCompressedGrantIsExpanded(t *testing.T) {
	c := github.NewClient(nil)
	if _, err := c.Grant([]string{"user"}).UserEmailRead(); err != nil {
		t.Errorf("user implies user:email, yet UserEmailRead failed: %v", err)
	}
}

func TestHubSpotFailures(t *testing.T) {
	tests := []struct {
		name string
		a    answer
		want want
	}{
		{"expired", answer{401, nil, `{"status":"error","message":"The OAuth token used to make this ` +
			`call expired 0 second(s) ago.","category":"EXPIRED_AUTHENTICATION"}`},
			want{401, capability.KindExpired, nil}},
		{"missing scopes", answer{403, nil, `{"status":"error","message":"This app hasn't been granted ` +
			`all required scopes to make this call.","errors":[{"message":"One or more of the following ` +
			`scopes are required.","context":{"requiredGranularScopes":["crm.objects.contacts.read"]}}],` +
			`"category":"MISSING_SCOPES"}`},
			want{403, capability.KindMissingScope, []string{"crm.objects.contacts.read"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, ts := serve(t, tt.a)
			c := hubspot.NewClient(ts, capability.WithBaseURL(base))
			h, err := c.Grant([]string{"crm.objects.contacts.read"}).ContactRead()
			if err != nil {
				t.Fatal(err)
			}
			_, err = h.GetContact(context.Background(), hubspot.GetContactParams{ContactID: "1"})
			check(t, err, tt.want)
		})
	}
}

func TestGoogleDriveInsufficientScope(t *testing.T) {
	base, ts := serve(t, answer{403, map[string]string{"WWW-Authenticate": `Bearer realm=` +
		`"https://accounts.google.com/", error="insufficient_scope", scope="` +
		`https://www.googleapis.com/auth/drive https://www.googleapis.com/auth/drive.readonly"`},
		`{"error":{"code":403,"message":"Request had insufficient authentication scopes.",` +
			`"status":"PERMISSION_DENIED"}}`})
	c := googledrive.NewClient(ts, capability.WithBaseURL(base))
	h, err := c.Grant([]string{"https://www.googleapis.com/auth/drive.file"}).FileRead()
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.GetFile(context.Background(), googledrive.GetFileParams{FileID: "f1"})
	check(t, err, want{403, capability.KindMissingScope, []string{
		"https://www.googleapis.com/auth/drive", "https://www.googleapis.com/auth/drive.readonly"}})
}

// TestMicrosoftGraphFailures: Graph names no scope in its refusals, so the
// missing scopes come from the operation's requirement minus the grant.
func TestMicrosoftGraphFailures(t *testing.T) {
	tests := []struct {
		name string
		a    answer
		want want
	}{
		{"expired", answer{401, map[string]string{"WWW-Authenticate": `Bearer realm="", ` +
			`authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"`},
			`{"error":{"code":"InvalidAuthenticationToken","message":"Access token has expired or ` +
				`is not yet valid.","innerError":{"date":"2026-12-03T10:00:00"}}}`},
			want{401, capability.KindExpired, nil}},
		{"directory refusal", answer{403, nil, `{"error":{"code":"Authorization_RequestDenied",` +
			`"message":"Insufficient privileges to complete the operation.","innerError":{}}}`},
			want{403, capability.KindMissingScope, nil}},
		{"exchange refusal", answer{403, nil, `{"error":{"code":"ErrorAccessDenied",` +
			`"message":"Access is denied. Check credentials and try again."}}`},
			want{403, capability.KindMissingScope, nil}},
		{"malformed token", answer{401, nil, `{"error":{"code":"InvalidAuthenticationToken",` +
			`"message":"CompactToken validation failed with reason code: 80049228."}}`},
			want{401, capability.KindInvalidCredentials, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, ts := serve(t, tt.a)
			c := microsoftgraph.NewClient(ts, capability.WithBaseURL(base))
			h, err := c.Grant([]string{"Contacts.Read"}).ContactRead()
			if err != nil {
				t.Fatal(err)
			}
			_, err = h.ListContacts(context.Background(), microsoftgraph.ListContactsParams{})
			check(t, err, tt.want)
		})
	}
}

func TestErrorsNeverCarryTheToken(t *testing.T) {
	base, ts := serve(t, answer{401, nil, `{"message":"Bad credentials for xoxb-secret-token"}`})
	h, _ := github.NewClient(ts, capability.WithBaseURL(base)).Grant([]string{"repo"}).IssueRead()
	_, err := h.GetIssue(context.Background(), github.GetIssueParams{Owner: "o", Repo: "r", IssueNumber: 1})
	if err == nil {
		t.Fatal("want an error")
	}
	if s := err.Error(); strings.Contains(s, "xoxb-secret-token") {
		t.Errorf("error text carries the token: %s", s)
	}
}
