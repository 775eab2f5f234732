package capability_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/capgen/capgen/capability"
)

// Secrets of the fake connection. Every one of them is searched for in the
// errors and logs the tests produce.
const (
	oldAccess    = "at_0ld_5ecret_aaaaaaaaaaaaaaaa"
	oldRefresh   = "rt_0ld_5ecret_bbbbbbbbbbbbbbbb"
	clientSecret = "cs_5ecret_cccccccccccccccccccc"
	authCode     = "code_5ecret_dddddddddddddddddd"
)

func newAccess(n int64) string  { return fmt.Sprintf("at_n3w_5ecret_%04d_eeeeeeeeeeee", n) }
func newRefresh(n int64) string { return fmt.Sprintf("rt_n3w_5ecret_%04d_ffffffffffff", n) }

// fakeOAuth is a HubSpot-shaped API and its token endpoint. The API accepts
// only the access token the token endpoint issued last and answers others
// with HubSpot's expired-token response; the token endpoint rotates the
// refresh token on every refresh.
type fakeOAuth struct {
	api, token *httptest.Server
	conf       *oauth2.Config
	client     *http.Client

	refreshes atomic.Int64
	accepted  atomic.Pointer[string] // the access token the API takes
	refresh   atomic.Pointer[string] // the refresh token the endpoint takes
	apiCalls  atomic.Int64

	tokenStatus int           // when set, the token endpoint fails with it
	keepRefresh bool          // the endpoint does not rotate refresh tokens
	tokenDelay  time.Duration // how long a refresh takes
	onAPI       func(auth string, body []byte)
	reply       http.HandlerFunc // when set, answers API calls instead
}

func newFakeOAuth(t testing.TB) *fakeOAuth {
	t.Helper()
	f := &fakeOAuth{}
	f.accepted.Store(new(oldAccess))
	f.refresh.Store(new(oldRefresh))
	f.api = httptest.NewServer(http.HandlerFunc(f.serveAPI))
	f.token = httptest.NewServer(http.HandlerFunc(f.serveToken))
	transport := &http.Transport{MaxIdleConnsPerHost: 64}
	f.client = &http.Client{Transport: transport}
	t.Cleanup(func() {
		f.api.Close()
		f.token.Close()
		transport.CloseIdleConnections()
	})
	f.conf = &oauth2.Config{
		ClientID:     "client-id",
		ClientSecret: clientSecret,
		Endpoint:     oauth2.Endpoint{TokenURL: f.token.URL, AuthStyle: oauth2.AuthStyleInHeader},
	}
	return f
}

// expireServerSide makes the API refuse the token it accepted so far.
func (f *fakeOAuth) expireServerSide() { f.accepted.Store(new("none")) }

func (f *fakeOAuth) serveAPI(w http.ResponseWriter, r *http.Request) {
	f.apiCalls.Add(1)
	body, _ := io.ReadAll(r.Body)
	auth := r.Header.Get("Authorization")
	if f.onAPI != nil {
		f.onAPI(auth, body)
	}
	if f.reply != nil {
		f.reply(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if auth != "Bearer "+*f.accepted.Load() {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, capability.HubSpotExpired)
		return
	}
	io.WriteString(w, `{"id":"1"}`)
}

func (f *fakeOAuth) serveToken(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	w.Header().Set("Content-Type", "application/json")
	switch r.Form.Get("grant_type") {
	case "authorization_code":
		if r.Form.Get("code") != authCode {
			f.refuse(w, http.StatusBadRequest, r)
			return
		}
		f.issue(w, oldAccess, oldRefresh)
	case "refresh_token":
		n := f.refreshes.Add(1)
		time.Sleep(f.tokenDelay)
		if f.tokenStatus != 0 || r.Form.Get("refresh_token") != *f.refresh.Load() {
			f.refuse(w, cmpOr(f.tokenStatus, http.StatusBadRequest), r)
			return
		}
		f.accepted.Store(new(newAccess(n)))
		if f.keepRefresh {
			f.issue(w, newAccess(n), "")
			return
		}
		f.refresh.Store(new(newRefresh(n)))
		f.issue(w, newAccess(n), newRefresh(n))
	}
}

// refuse echoes the secrets it was sent, as a careless endpoint might.
func (f *fakeOAuth) refuse(w http.ResponseWriter, status int, r *http.Request) {
	_, secret, _ := r.BasicAuth()
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{
		"error": "invalid_grant",
		"error_description": fmt.Sprintf("refresh token %s, code %s, secret %s refused",
			r.Form.Get("refresh_token"), r.Form.Get("code"), secret),
	})
}

func (f *fakeOAuth) issue(w http.ResponseWriter, access, refresh string) {
	reply := map[string]any{"access_token": access, "token_type": "bearer", "expires_in": 1800}
	if refresh != "" {
		reply["refresh_token"] = refresh
	}
	json.NewEncoder(w).Encode(reply)
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// exchange gets the connection's first token with the authorization code.
func (f *fakeOAuth) exchange(t testing.TB) *oauth2.Token {
	t.Helper()
	tok, err := f.conf.Exchange(f.ctx(), authCode)
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	return tok
}

func (f *fakeOAuth) ctx() context.Context {
	return context.WithValue(context.Background(), oauth2.HTTPClient, f.client)
}

// source returns a refreshing source for tok.
func (f *fakeOAuth) source(tok *oauth2.Token,
	opts ...capability.SourceOption) *capability.RefreshingSource {
	return capability.NewRefreshingSource(f.ctx(), f.conf, tok, opts...)
}

// handle mints contact.read and contact.write handles on a client that
// takes its tokens from ts.
func (f *fakeOAuth) handles(t testing.TB, ts oauth2.TokenSource,
	opts ...capability.Option) (read, write capability.Handle) {
	t.Helper()
	opts = append([]capability.Option{capability.WithBaseURL(f.api.URL),
		capability.WithHTTPClient(f.client)}, opts...)
	client := capability.NewClient(hubspot, ts, opts...)
	grant := capability.NewGrant(hubspot, []string{"contacts"})
	read, err := grant.Handle(client, "contact.read")
	if err != nil {
		t.Fatal(err)
	}
	write, err = grant.Handle(client, "contact.write")
	if err != nil {
		t.Fatal(err)
	}
	return read, write
}

func getContact(ctx context.Context, h capability.Handle) error {
	var out struct{ ID string }
	err := h.Call(ctx, "GetContact",
		capability.Request{PathParams: []string{"contactId", "1"}}, &out)
	if err == nil && out.ID != "1" {
		return fmt.Errorf("decoded id %q, want 1", out.ID)
	}
	return err
}

// storeHook keeps the last token it was given, as an application's token
// store would.
type storeHook struct {
	mu    sync.Mutex
	saved []*oauth2.Token
	fail  error
}

func (s *storeHook) hook(_ context.Context, tok *oauth2.Token) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.saved = append(s.saved, tok)
	return s.fail
}

func (s *storeHook) last() *oauth2.Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.saved) == 0 {
		return nil
	}
	return s.saved[len(s.saved)-1]
}

func (s *storeHook) calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.saved)
}

// A token that the provider expires early is refreshed once for a burst of
// 1,000 concurrent calls, and every call succeeds on its retry.
func TestConcurrentExpiryRefreshesOnce(t *testing.T) {
	f := newFakeOAuth(t)
	f.tokenDelay = 20 * time.Millisecond
	tok := f.exchange(t)
	f.expireServerSide() // the token's Expiry still says it is valid

	store := &storeHook{}
	var unsaved atomic.Int64
	f.onAPI = func(auth string, _ []byte) {
		if saved := store.last(); auth != "Bearer "+oldAccess &&
			(saved == nil || auth != "Bearer "+saved.AccessToken) {
			unsaved.Add(1)
		}
	}
	src := f.source(tok, capability.WithTokenHook(store.hook))
	read, _ := f.handles(t, src)

	const calls = 1000
	errs := make(chan error, calls)
	var wg sync.WaitGroup
	for range calls {
		wg.Go(func() { errs <- getContact(context.Background(), read) })
	}
	wg.Wait()
	close(errs)

	failed := 0
	for err := range errs {
		if err != nil {
			failed++
			t.Log(err)
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d calls failed", failed, calls)
	}
	if n := f.refreshes.Load(); n != 1 || src.Refreshes() != 1 {
		t.Errorf("the token endpoint saw %d refreshes, the source counted %d; want 1",
			n, src.Refreshes())
	}
	if store.calls() != 1 || unsaved.Load() != 0 {
		t.Errorf("hook called %d times, %d requests used a token it had not saved; want 1, 0",
			store.calls(), unsaved.Load())
	}
}

func TestRefreshBeforeUseWhenExpired(t *testing.T) {
	f := newFakeOAuth(t)
	tok := f.exchange(t)
	tok.Expiry = time.Now().Add(-time.Minute)
	var sentOld atomic.Bool
	f.onAPI = func(auth string, _ []byte) { sentOld.Store(auth == "Bearer "+oldAccess) }
	src := f.source(tok)
	read, _ := f.handles(t, src)

	if err := getContact(context.Background(), read); err != nil {
		t.Fatalf("Call: %v", err)
	}
	if sentOld.Load() || f.apiCalls.Load() != 1 || src.Refreshes() != 1 {
		t.Errorf("sent the expired token %v, %d API calls, %d refreshes; want false, 1, 1",
			sentOld.Load(), f.apiCalls.Load(), src.Refreshes())
	}
	if got, _ := src.Token(); got.AccessToken != newAccess(1) {
		t.Error("Token() does not return the refreshed token")
	}
}

func TestRefreshRetriesOnce(t *testing.T) {
	f := newFakeOAuth(t)
	tok := f.exchange(t)
	var bodies []string
	var mu sync.Mutex
	f.onAPI = func(_ string, body []byte) {
		mu.Lock()
		defer mu.Unlock()
		bodies = append(bodies, string(body))
		f.expireServerSide() // no token works, not even a new one
	}
	src := f.source(tok)
	_, write := f.handles(t, src)

	err := write.Call(context.Background(), "CreateContact",
		capability.Request{Body: map[string]string{"email": "ada@example.com"}}, nil)
	e, ok := errors.AsType[*capability.Error](err)
	if !ok || e.Kind != capability.KindExpired || e.Status != 401 {
		t.Fatalf("Call = %v, want the second expired answer as a 401 KindExpired", err)
	}
	want := `{"email":"ada@example.com"}`
	if len(bodies) != 2 || bodies[0] != want || bodies[1] != want || src.Refreshes() != 1 {
		t.Errorf("API saw bodies %q after %d refreshes; want the body twice after 1",
			bodies, src.Refreshes())
	}
}

func TestNoRefreshWithoutARefreshingSource(t *testing.T) {
	f := newFakeOAuth(t)
	f.expireServerSide()
	read, _ := f.handles(t, oauth2.StaticTokenSource(f.exchange(t)))
	err := getContact(context.Background(), read)
	e, ok := errors.AsType[*capability.Error](err)
	if !ok || e.Kind != capability.KindExpired ||
		f.refreshes.Load() != 0 || f.apiCalls.Load() != 1 {
		t.Errorf("Call = %v after %d refreshes and %d API calls; want KindExpired, 0, 1",
			err, f.refreshes.Load(), f.apiCalls.Load())
	}
}

func TestRotatedTokenReachesTheHookFirst(t *testing.T) {
	f := newFakeOAuth(t)
	tok := f.exchange(t)
	f.expireServerSide()
	store := &storeHook{}
	var savedFirst atomic.Bool
	f.onAPI = func(auth string, _ []byte) {
		if auth == "Bearer "+newAccess(1) {
			saved := store.last()
			savedFirst.Store(saved != nil && saved.RefreshToken == newRefresh(1))
		}
	}
	read, _ := f.handles(t, f.source(tok, capability.WithTokenHook(store.hook)))

	if err := getContact(context.Background(), read); err != nil {
		t.Fatalf("Call: %v", err)
	}
	if !savedFirst.Load() {
		t.Error("the new token was used before the hook saved the rotated refresh token")
	}
}

func TestRefreshKeepsAnUnrotatedRefreshToken(t *testing.T) {
	f := newFakeOAuth(t)
	f.keepRefresh = true
	tok := f.exchange(t)
	f.expireServerSide()
	store := &storeHook{}
	read, _ := f.handles(t, f.source(tok, capability.WithTokenHook(store.hook)))

	for range 2 {
		if err := getContact(context.Background(), read); err != nil {
			t.Fatalf("Call: %v", err)
		}
		f.expireServerSide()
	}
	saved := store.last()
	if store.calls() != 2 || saved.RefreshToken != oldRefresh || saved.AccessToken != newAccess(2) {
		t.Errorf("hook called %d times, last with a new access token %v and the old refresh "+
			"token %v; want 2, true, true", store.calls(), saved.AccessToken == newAccess(2),
			saved.RefreshToken == oldRefresh)
	}
}

// A hook that cannot store the new token keeps it from being used, and
// the next attempt offers the same token instead of spending the rotated
// refresh token on another refresh.
func TestHookFailureKeepsTheToken(t *testing.T) {
	f := newFakeOAuth(t)
	tok := f.exchange(t)
	f.expireServerSide()
	storeDown := errors.New("token store unavailable")
	store := &storeHook{fail: storeDown}
	var usedNew atomic.Int64
	f.onAPI = func(auth string, _ []byte) {
		if auth == "Bearer "+newAccess(1) {
			usedNew.Add(1)
		}
	}
	read, _ := f.handles(t, f.source(tok, capability.WithTokenHook(store.hook)))

	err := getContact(context.Background(), read)
	e, ok := errors.AsType[*capability.Error](err)
	if !ok || e.Kind != capability.KindRequest || !errors.Is(err, storeDown) {
		t.Fatalf("Call = %v, want a KindRequest *Error wrapping the hook's error", err)
	}
	if usedNew.Load() != 0 {
		t.Fatal("the token the hook refused was used")
	}

	store.mu.Lock()
	store.fail = nil
	store.mu.Unlock()
	if err := getContact(context.Background(), read); err != nil {
		t.Fatalf("Call after the store recovered: %v", err)
	}
	if f.refreshes.Load() != 1 || store.calls() != 2 ||
		store.saved[0].RefreshToken != store.saved[1].RefreshToken {
		t.Errorf("%d refreshes, %d hook calls; want 1 refresh whose token was offered twice",
			f.refreshes.Load(), store.calls())
	}
}

func TestExpiredWithoutRefreshToken(t *testing.T) {
	f := newFakeOAuth(t)
	tok := &oauth2.Token{AccessToken: oldAccess, Expiry: time.Now().Add(-time.Hour)}
	read, _ := f.handles(t, f.source(tok))
	err := getContact(context.Background(), read)
	e, ok := errors.AsType[*capability.Error](err)
	if !ok || e.Kind != capability.KindInvalidCredentials ||
		!errors.Is(err, capability.ErrUnauthorized) {
		t.Fatalf("Call = %v, want a 401 KindInvalidCredentials", err)
	}
	if f.apiCalls.Load() != 0 || f.refreshes.Load() != 0 {
		t.Error("something was sent")
	}
}

// A caller that stops waiting does not cut the refresh short for others.
func TestCallerLeavesDuringRefresh(t *testing.T) {
	f := newFakeOAuth(t)
	f.tokenDelay = 200 * time.Millisecond
	tok := f.exchange(t)
	f.expireServerSide()
	src := f.source(tok)
	read, _ := f.handles(t, src)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := getContact(ctx, read); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Call = %v, want context.DeadlineExceeded", err)
	}
	if err := getContact(context.Background(), read); err != nil {
		t.Fatalf("next Call: %v", err)
	}
	if src.Refreshes() != 1 {
		t.Errorf("%d refreshes, want 1", src.Refreshes())
	}
}

func TestRefreshLogging(t *testing.T) {
	f := newFakeOAuth(t)
	tok := f.exchange(t)
	f.expireServerSide()
	var logs syncBuffer
	read, _ := f.handles(t, f.source(tok), capability.WithLogger(debugLogger(&logs)))
	if err := getContact(context.Background(), read); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`msg="capability token refresh"`, `trigger="expired answer"`,
		"outcome=refreshed", "status=200"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs lack %q:\n%s", want, logs.String())
		}
	}
}

// TestCallWhoseTokenARefreshRevokedIsRetried: providers that rotate tokens
// revoke the old access token when they issue a new one, so a call that
// still carries it is refused as invalid, not expired. The call waits for
// the refresh under way and is sent again with the new token, without a
// refresh of its own.
func TestCallWhoseTokenARefreshRevokedIsRetried(t *testing.T) {
	f := newFakeOAuth(t)
	f.tokenDelay = 100 * time.Millisecond
	tok := f.exchange(t)
	src := f.source(tok)
	read, _ := f.handles(t, src)

	var invalid atomic.Int64
	f.reply = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch auth := r.Header.Get("Authorization"); {
		case auth == "Bearer "+*f.accepted.Load():
			io.WriteString(w, `{"id":"1"}`)
		case f.refreshes.Load() > 0: // revoked by the rotation under way
			invalid.Add(1)
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"status":"error","message":"Authentication credentials not found."}`)
		default:
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, capability.HubSpotExpired)
		}
	}
	f.expireServerSide()
	first := make(chan error, 1)
	go func() { first <- getContact(context.Background(), read) }()
	for f.refreshes.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	if err := getContact(context.Background(), read); err != nil {
		t.Errorf("the call refused with the revoked token was not retried: %v", err)
	}
	if err := <-first; err != nil {
		t.Errorf("the call that saw the expiry failed: %v", err)
	}
	if f.refreshes.Load() != 1 || invalid.Load() != 1 {
		t.Errorf("%d refreshes, %d refused attempts; want 1 and 1", f.refreshes.Load(), invalid.Load())
	}
}
