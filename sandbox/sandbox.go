package sandbox

import (
	"cmp"
	"context"
	"crypto/rand"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// DefaultRedirectURL is where the authorization server sends the user back.
// It is a loopback address, so a client may use any port with it (RFC 8252).
const DefaultRedirectURL = "http://127.0.0.1/callback"

// Sandbox is an authorization server and a provider simulator for one
// provider spec, both on loopback. Its exported fields are the settings a
// client needs; they must not be changed.
type Sandbox struct {
	// Provider is the name of the simulated provider.
	Provider string

	// The authorization server's endpoints.
	AuthURL       string
	TokenURL      string
	IntrospectURL string // RFC 7662
	RevokeURL     string // RFC 7009

	// BaseURL is the provider simulator's root; pass it to
	// capability.WithBaseURL.
	BaseURL string

	// The one registered client. The secret is random for each sandbox.
	ClientID     string
	ClientSecret string
	RedirectURL  string

	auth      *authServer
	sim       *simulator
	authStyle oauth2.AuthStyle
	servers   []*httptest.Server
}

// Option configures a Sandbox.
type Option func(*options)

type options struct {
	vocabulary  string
	redirectURL string
	lifespan    time.Duration
	consent     Consent
	apiAddr     string
	authAddr    string
}

// WithVocabulary loads the capability vocabulary from a file instead of the
// bundled one, for a spec file written against its own vocabulary.
func WithVocabulary(path string) Option {
	return func(o *options) { o.vocabulary = path }
}

// WithRedirectURL registers u as the client's redirect URL instead of
// DefaultRedirectURL.
func WithRedirectURL(u string) Option {
	return func(o *options) { o.redirectURL = u }
}

// WithAccessTokenLifespan sets how long access tokens live; an hour unless
// set. Expire ends them at once whatever their lifespan.
func WithAccessTokenLifespan(d time.Duration) Option {
	return func(o *options) { o.lifespan = d }
}

// WithConsent sets the consent script in force from the start; GrantAll
// unless set.
func WithConsent(c Consent) Option {
	return func(o *options) { o.consent = c }
}

// WithAddrs sets the loopback addresses of the provider simulator and the
// authorization server, such as "127.0.0.1:8080"; "" picks a free port on
// 127.0.0.1. Any address off loopback is refused.
func WithAddrs(api, auth string) Option {
	return func(o *options) { o.apiAddr, o.authAddr = api, auth }
}

// Start starts a sandbox for a bundled provider name (hubspot, github,
// slack, googledrive) or a spec file path, and closes it when the test ends.
// It fails the test if the spec does not load.
func Start(t testing.TB, spec string, opts ...Option) *Sandbox {
	t.Helper()
	sb, err := New(spec, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sb.Close)
	return sb
}

// New starts a sandbox like Start, for callers without a testing.TB. Close
// it when done.
func New(spec string, opts ...Option) (*Sandbox, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	p, err := loadProvider(spec, o.vocabulary)
	if err != nil {
		return nil, err
	}
	sb := &Sandbox{
		Provider:     p.Name,
		ClientID:     "sandbox-" + p.Name,
		ClientSecret: rand.Text(),
		RedirectURL:  cmp.Or(o.redirectURL, DefaultRedirectURL),
		authStyle:    oauth2.AuthStyleInParams,
	}
	if authOf(p).ClientAuth == "basic" {
		sb.authStyle = oauth2.AuthStyleInHeader
	}
	sb.auth, err = newAuthServer(p, client{sb.ClientID, sb.ClientSecret, sb.RedirectURL},
		cmp.Or(o.lifespan, time.Hour))
	if err != nil {
		return nil, err
	}
	sb.auth.setConsent(o.consent)
	sb.sim = newSimulator(p, sb.auth, time.Now().Truncate(time.Second))
	if err := sb.listen(o.apiAddr, o.authAddr); err != nil {
		sb.Close()
		return nil, err
	}
	return sb, nil
}

func (sb *Sandbox) listen(apiAddr, authAddr string) error {
	authSrv, err := serve(sb.auth.handler(), authAddr)
	if err != nil {
		return err
	}
	sb.servers = append(sb.servers, authSrv)
	apiSrv, err := serve(sb.sim, apiAddr)
	if err != nil {
		return err
	}
	sb.servers = append(sb.servers, apiSrv)

	sb.AuthURL = authSrv.URL + authorizePath
	sb.TokenURL = authSrv.URL + tokenPath
	sb.IntrospectURL = authSrv.URL + introspectPath
	sb.RevokeURL = authSrv.URL + revokePath
	sb.BaseURL = apiSrv.URL
	return nil
}

// serve starts a server on a loopback address.
func serve(h http.Handler, addr string) (*httptest.Server, error) {
	addr = cmp.Or(addr, "127.0.0.1:0")
	if err := checkLoopback(addr); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sandbox: listen: %w", err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	return srv, nil
}

func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("sandbox: address %q: %w (want host:port)", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("sandbox: address %q is not on loopback (use 127.0.0.1 or [::1])", addr)
	}
	return nil
}

// Close stops both servers.
func (sb *Sandbox) Close() {
	for _, srv := range sb.servers {
		srv.Close()
	}
	sb.servers = nil
}

// Config returns an oauth2.Config for the sandbox's client, asking for
// scopes. The authorization server wants a state of at least 8 characters.
func (sb *Sandbox) Config(scopes ...string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     sb.ClientID,
		ClientSecret: sb.ClientSecret,
		RedirectURL:  sb.RedirectURL,
		Scopes:       scopes,
		Endpoint: oauth2.Endpoint{
			AuthURL:   sb.AuthURL,
			TokenURL:  sb.TokenURL,
			AuthStyle: sb.authStyle,
		},
	}
}

// Consent sets how the scripted user answers the next authorization
// requests.
func (sb *Sandbox) Consent(c Consent) { sb.auth.setConsent(c) }

// Expire makes every access token issued so far expired; their refresh
// tokens still work.
func (sb *Sandbox) Expire() { sb.auth.store.expireAll() }

// Withdraw takes scopes back from every grant, as a user or an admin does in
// the provider's settings: tokens keep working, but introspection no longer
// lists those scopes, so the simulator refuses the operations that need them.
func (sb *Sandbox) Withdraw(scopes ...string) { sb.auth.store.withdraw(scopes) }

// Revoke revokes the grant a token belongs to: its access and refresh
// tokens stop working, as after an RFC 7009 revocation.
func (sb *Sandbox) Revoke(token string) error {
	return sb.auth.revokeToken(context.Background(), token)
}

// RevokeAll revokes every grant of the client, as when a user uninstalls
// the app.
func (sb *Sandbox) RevokeAll() error { return sb.auth.revokeAll(context.Background()) }

// Calls returns the API calls the simulator served, in order.
func (sb *Sandbox) Calls() []Call { return sb.sim.served() }
