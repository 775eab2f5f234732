package capability_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/capgen/capgen/capability"
)

// syncBuffer is a bytes.Buffer that concurrent log writers may share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// setup prepares the fake for a fault and returns the call to make.
type setup func(t *testing.T, f *fakeOAuth) func(capability.Handle) error

// fault is one way a connection can fail, and how the failure must read.
type fault struct {
	name       string
	setup      setup
	kind       capability.Kind // "" for a call that must succeed
	status     int
	httpStatus int
	check      func(t *testing.T, f *fakeOAuth, err error)
}

// echo answers with the request's credentials in the body, where a careless
// provider might put them.
func echo(status int, header http.Header) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"message":"rejected %s","access_token":"%s"}`,
			r.Header.Get("Authorization"),
			strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	}
}

func body(status int, text string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		io.WriteString(w, text)
	}
}

func get(h capability.Handle) error { return getContact(context.Background(), h) }

func faults() []fault {
	expired := func(t *testing.T, f *fakeOAuth) func(capability.Handle) error {
		f.expireServerSide()
		return get
	}
	replying := func(reply http.HandlerFunc) setup {
		return func(t *testing.T, f *fakeOAuth) func(capability.Handle) error {
			f.reply = reply
			return get
		}
	}
	return []fault{
		{name: "refresh refused with invalid_grant",
			setup: func(t *testing.T, f *fakeOAuth) func(capability.Handle) error {
				f.tokenStatus = http.StatusBadRequest
				return expired(t, f)
			},
			kind: capability.KindInvalidCredentials, status: 401, httpStatus: 400,
			check: wantMessage("refreshing the access token was refused (invalid_grant); " +
				"authorize the connection again")},
		{name: "token endpoint unavailable",
			setup: func(t *testing.T, f *fakeOAuth) func(capability.Handle) error {
				f.tokenStatus = http.StatusServiceUnavailable
				return expired(t, f)
			},
			kind: capability.KindRequest, check: wantMessage("retry later")},
		{name: "revoked token", setup: replying(body(401, `{"status":"error",`+
			`"message":"Authentication credentials not found.",`+
			`"category":"INVALID_AUTHENTICATION"}`)),
			kind: capability.KindInvalidCredentials, status: 401, httpStatus: 401,
			check: func(t *testing.T, f *fakeOAuth, err error) {
				if f.refreshes.Load() != 0 {
					t.Error("a revoked token was refreshed; only an expired one should be")
				}
			}},
		{name: "server error echoing the token", setup: replying(echo(500, nil)),
			kind: capability.KindHTTP, status: 500, httpStatus: 500},
		{name: "timeout",
			setup: func(t *testing.T, f *fakeOAuth) func(capability.Handle) error {
				f.reply = func(w http.ResponseWriter, r *http.Request) {
					select {
					case <-r.Context().Done():
					case <-time.After(2 * time.Second):
					}
				}
				return func(h capability.Handle) error {
					ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
					defer cancel()
					return getContact(ctx, h)
				}
			},
			kind: capability.KindRequest,
			check: func(t *testing.T, _ *fakeOAuth, err error) {
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("error %v does not match context.DeadlineExceeded", err)
				}
			}},
		{name: "truncated JSON", setup: replying(body(200, `{"id":"1","properties":{"em`)),
			kind: capability.KindDecode},
		{name: "malformed JSON", setup: replying(body(200, `{"id":}`)),
			kind: capability.KindDecode},
		{name: "rate limit", setup: replying(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, `{"status":"error","message":"You have reached your limit."}`)
		}),
			kind: capability.KindRateLimited, status: 429, httpStatus: 429,
			check: func(t *testing.T, _ *fakeOAuth, err error) {
				if e, _ := errors.AsType[*capability.Error](err); e.RetryAfter != 7*time.Second {
					t.Errorf("RetryAfter = %v, want 7s", e.RetryAfter)
				}
			}},
		{name: "rotated refresh token", setup: expired,
			check: func(t *testing.T, f *fakeOAuth, _ error) {
				if f.refreshes.Load() != 1 || *f.refresh.Load() != newRefresh(1) {
					t.Errorf("%d refreshes; want 1, rotating the refresh token", f.refreshes.Load())
				}
			}},
	}
}

func wantMessage(part string) func(*testing.T, *fakeOAuth, error) {
	return func(t *testing.T, _ *fakeOAuth, err error) {
		if e, _ := errors.AsType[*capability.Error](err); !strings.Contains(e.Message, part) {
			t.Errorf("Message %q lacks %q", e.Message, part)
		}
	}
}

// TestFaults classifies each fault, then checks that no error text and no
// log line of the whole suite holds a token, the client secret or the
// authorization code.
func TestFaults(t *testing.T) {
	var texts []string
	var logs syncBuffer
	logger := debugLogger(&logs)
	for _, ft := range faults() {
		t.Run(ft.name, func(t *testing.T) {
			f := newFakeOAuth(t)
			tok := f.exchange(t)
			call := ft.setup(t, f)
			store := &storeHook{}
			src := f.source(tok, capability.WithTokenHook(store.hook))
			read, _ := f.handles(t, src, capability.WithLogger(logger))

			err := call(read)
			texts = append(texts, errorTexts(err)...)
			checkFault(t, ft, err)
			if ft.check != nil {
				ft.check(t, f, err)
			}
		})
	}
	texts = append(texts, introspectionFaults(t)...)
	texts = append(texts, strings.Split(logs.String(), "\n")...)
	if len(texts) < 20 || !strings.Contains(logs.String(), "capability token refresh") {
		t.Fatalf("the suite produced %d texts and these logs:\n%s", len(texts), logs.String())
	}
	for _, text := range texts {
		for _, secret := range suiteSecrets() {
			if strings.Contains(text, secret) {
				t.Errorf("%q shows the secret %s", text, secret)
			}
		}
	}
}

func checkFault(t *testing.T, ft fault, err error) {
	t.Helper()
	if ft.kind == "" {
		if err != nil {
			t.Fatalf("Call = %v, want success", err)
		}
		return
	}
	e, ok := errors.AsType[*capability.Error](err)
	if !ok {
		t.Fatalf("Call = %v, want a *capability.Error", err)
	}
	if e.Kind != ft.kind || e.Status != ft.status || e.HTTPStatus != ft.httpStatus {
		t.Errorf("Call = %v: kind %s, status %d, HTTP status %d; want %s, %d, %d",
			err, e.Kind, e.Status, e.HTTPStatus, ft.kind, ft.status, ft.httpStatus)
	}
}

// errorTexts is everything of err that a program might print or log.
func errorTexts(err error) []string {
	if err == nil {
		return nil
	}
	texts := []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err)}
	if e, ok := errors.AsType[*capability.Error](err); ok {
		texts = append(texts, e.Message)
		texts = append(texts, e.Missing...)
	}
	return texts
}

func suiteSecrets() []string {
	secrets := []string{oldAccess, oldRefresh, clientSecret, authCode}
	for n := int64(1); n <= 3; n++ {
		secrets = append(secrets, newAccess(n), newRefresh(n))
	}
	return secrets
}

// introspectionFaults reads grants from endpoints that fail, echoing what
// they were sent, and returns the errors' texts.
func introspectionFaults(t *testing.T) []string {
	tests := []struct {
		name   string
		status int
		body   string
		kind   capability.Kind
	}{
		{"refuses the client", 401, `{"error":"invalid_client","token":"%s","secret":"%s"}`,
			capability.KindRequest},
		{"token inactive", 200, `{"active":false,"note":"%s %s"}`,
			capability.KindInvalidCredentials},
		{"answers garbage", 200, `<html>%s %s`, capability.KindDecode},
	}
	var texts []string
	for _, tt := range tests {
		t.Run("introspection "+tt.name, func(t *testing.T) {
			echoing := func(w http.ResponseWriter, r *http.Request) {
				r.ParseForm()
				_, secret, _ := r.BasicAuth()
				w.WriteHeader(tt.status)
				fmt.Fprintf(w, tt.body, r.Form.Get("token"), secret)
			}
			srv := httptest.NewServer(http.HandlerFunc(echoing))
			defer srv.Close()
			p := introspecting(srv.URL, capability.ScopeSource{})
			tok := &oauth2.Token{AccessToken: oldAccess, RefreshToken: oldRefresh}
			_, err := capability.ReadGrant(context.Background(), p, tok, capability.GrantOptions{
				ClientID: "client-id", ClientSecret: clientSecret})
			e, ok := errors.AsType[*capability.Error](err)
			if !ok || e.Kind != tt.kind {
				t.Errorf("ReadGrant = %v, want a *Error of %s", err, tt.kind)
			}
			texts = append(texts, errorTexts(err)...)
		})
	}
	return texts
}
