package sandbox

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/ory/fosite"
	"github.com/ory/fosite/compose"
	foauth2 "github.com/ory/fosite/handler/oauth2"

	"github.com/capgen/capgen/internal/model"
)

// The authorization server's endpoints.
const (
	authorizePath  = "/oauth/authorize"
	tokenPath      = "/oauth/token"
	introspectPath = "/oauth/introspect"
	revokePath     = "/oauth/revoke"
)

// subject is the one resource owner the sandbox knows.
const subject = "sandbox-user"

// bcryptMinCost keeps client authentication fast: the secret is random and
// lives as long as the sandbox, so a slow hash protects nothing.
const bcryptMinCost = 4

// authServer is a fosite authorization server for one client, whose user
// answers every authorization request with the current consent script.
type authServer struct {
	oauth    fosite.OAuth2Provider
	strategy *foauth2.HMACSHAStrategy
	store    *store
	auth     model.OAuth2
	seps     string // what scope lists are split on, besides whitespace
	granted  model.GrantedScopes

	mu      sync.Mutex
	consent Consent

	// storeMu serialises what changes fosite's in-memory store against
	// what reads it: the store's own locks leave refresh token rotation
	// racing with introspection.
	storeMu sync.RWMutex
}

// client is the one registered client.
type client struct {
	id, secret, redirectURL string
}

func newAuthServer(p *model.Provider, c client, lifespan time.Duration) (*authServer, error) {
	auth := authOf(p)
	cfg := &fosite.Config{
		AccessTokenLifespan:   lifespan,
		RefreshTokenLifespan:  30 * 24 * time.Hour,
		AuthorizeCodeLifespan: 10 * time.Minute,
		GlobalSecret:          randomBytes(32),
		HashCost:              bcryptMinCost,
		ScopeStrategy:         fosite.ExactScopeStrategy,
		EnforcePKCE:           auth.PKCE == "required",
		// Every grant gets a refresh token, not only those holding offline.
		RefreshTokenScopes: []string{},
	}
	a := &authServer{
		strategy: compose.NewOAuth2HMACStrategy(cfg),
		store:    newStore(),
		auth:     auth,
		seps:     separators(p, auth.ScopeSeparator),
		granted:  p.GrantedScopes,
	}
	if err := a.register(cfg, p, c); err != nil {
		return nil, err
	}
	a.oauth = compose.Compose(cfg, a.store, a.strategy,
		compose.OAuth2AuthorizeExplicitFactory,
		compose.OAuth2RefreshTokenGrantFactory,
		compose.OAuth2PKCEFactory,
		compose.OAuth2TokenIntrospectionFactory,
		compose.OAuth2TokenRevocationFactory,
	)
	return a, nil
}

// register stores the client, allowed every scope of the provider.
func (a *authServer) register(cfg *fosite.Config, p *model.Provider, c client) error {
	hash, err := (&fosite.BCrypt{Config: cfg}).Hash(context.Background(), []byte(c.secret))
	if err != nil {
		return fmt.Errorf("sandbox: hash client secret: %w", err)
	}
	scopes := make([]string, len(p.Scopes))
	for i, s := range p.Scopes {
		scopes[i] = s.Name
	}
	a.store.Clients[c.id] = &fosite.DefaultClient{
		ID:            c.id,
		Secret:        hash,
		RedirectURIs:  []string{c.redirectURL},
		ResponseTypes: []string{"code"},
		GrantTypes:    []string{"authorization_code", "refresh_token"},
		Scopes:        scopes,
	}
	return nil
}

// authOf returns the provider's authorization settings, with the spec
// language's defaults for a provider that declares none.
func authOf(p *model.Provider) model.OAuth2 {
	if p.Auth == nil {
		return model.OAuth2{ScopeParam: "scope", ScopeSeparator: " ", PKCE: "supported",
			ClientAuth: "body"}
	}
	return *p.Auth
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func (a *authServer) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(authorizePath, a.writing(a.authorize))
	mux.HandleFunc("POST "+tokenPath, a.writing(a.token))
	mux.HandleFunc("POST "+introspectPath, a.reading(a.introspect))
	mux.HandleFunc("POST "+revokePath, a.writing(a.revoke))
	return mux
}

// writing runs h alone; reading runs h beside other readers.
func (a *authServer) writing(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a.storeMu.Lock()
		defer a.storeMu.Unlock()
		h(w, r)
	}
}

func (a *authServer) reading(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a.storeMu.RLock()
		defer a.storeMu.RUnlock()
		h(w, r)
	}
}

func newSession() *fosite.DefaultSession {
	return &fosite.DefaultSession{Subject: subject, Username: subject}
}

func (a *authServer) setConsent(c Consent) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.consent = c
}

func (a *authServer) currentConsent() Consent {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.consent
}

// authorize answers an authorization request with the consent script
// instead of a login page.
func (a *authServer) authorize(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		http.Error(w, "malformed authorization request", http.StatusBadRequest)
		return
	}
	r.Form.Set("scope", joinScopes(a.requestedScopes(r.Form)))

	ar, err := a.oauth.NewAuthorizeRequest(ctx, r)
	if err != nil {
		a.oauth.WriteAuthorizeError(ctx, w, ar, err)
		return
	}
	granted, ok := a.currentConsent().decide(ar.GetRequestedScopes())
	if !ok {
		a.oauth.WriteAuthorizeError(ctx, w, ar,
			fosite.ErrAccessDenied.WithHint("The sandbox's consent script denies every request."))
		return
	}
	for _, s := range granted {
		ar.GrantScope(s)
	}
	resp, err := a.oauth.NewAuthorizeResponse(ctx, ar, newSession())
	if err != nil {
		a.oauth.WriteAuthorizeError(ctx, w, ar, err)
		return
	}
	a.oauth.WriteAuthorizeResponse(ctx, w, ar, resp)
}

// token serves the code exchange and refresh, reporting the granted scopes
// where the provider's spec says token responses carry them.
func (a *authServer) token(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := r.ParseForm(); err == nil && r.PostForm.Has("scope") {
		r.PostForm.Set("scope", joinScopes(splitScopes(r.PostForm.Get("scope"), a.seps)))
	}
	ar, err := a.oauth.NewAccessRequest(ctx, r, newSession())
	if err != nil {
		a.oauth.WriteAccessError(ctx, w, ar, err)
		return
	}
	resp, err := a.oauth.NewAccessResponse(ctx, ar)
	if err != nil {
		a.oauth.WriteAccessError(ctx, w, ar, err)
		return
	}
	if r, ok := resp.(*fosite.AccessResponse); ok {
		shapeGranted(r.Extra, a.granted, "token", ar.GetGrantedScopes())
	}
	a.oauth.WriteAccessResponse(ctx, w, ar, resp)
}

// introspect serves RFC 7662 introspection, adding the granted scopes where
// the provider's spec says introspection carries them.
func (a *authServer) introspect(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ir, err := a.oauth.NewIntrospectionRequest(ctx, r, newSession())
	if err != nil {
		a.oauth.WriteIntrospectionError(ctx, w, err)
		return
	}
	buf := newBufferedResponse()
	a.oauth.WriteIntrospectionResponse(ctx, buf, ir)
	if ir.IsActive() {
		buf.reshape(func(doc map[string]any) {
			shapeGranted(doc, a.granted, "introspection", ir.GetAccessRequester().GetGrantedScopes())
		})
	}
	buf.flush(w)
}

// revoke serves RFC 7009 revocation.
func (a *authServer) revoke(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a.oauth.WriteRevocationResponse(ctx, w, a.oauth.NewRevocationRequest(ctx, r))
}

// tokenState is what the authorization server knows of a bearer token.
type tokenState int

const (
	tokenInvalid tokenState = iota // unknown, revoked, or not an access token
	tokenActive
	tokenExpired
)

// check introspects an access token in process and returns its scopes.
func (a *authServer) check(ctx context.Context, token string) (tokenState, []string) {
	a.storeMu.RLock()
	defer a.storeMu.RUnlock()
	use, ar, err := a.oauth.IntrospectToken(ctx, token, fosite.AccessToken, newSession())
	switch {
	case err == nil && use == fosite.AccessToken:
		return tokenActive, ar.GetGrantedScopes()
	case errors.Is(err, fosite.ErrTokenExpired):
		return tokenExpired, nil
	}
	return tokenInvalid, nil
}

// revokeToken revokes the grant an access or refresh token belongs to, with
// every token issued for it.
func (a *authServer) revokeToken(ctx context.Context, token string) error {
	a.storeMu.Lock()
	defer a.storeMu.Unlock()
	at := a.strategy.AccessTokenSignature(ctx, token)
	if req, err := a.store.MemoryStore.GetAccessTokenSession(ctx, at, nil); err == nil {
		return a.store.revokeRequest(ctx, req.GetID())
	}
	rt := a.strategy.RefreshTokenSignature(ctx, token)
	if req, _ := a.store.GetRefreshTokenSession(ctx, rt, nil); req != nil {
		return a.store.revokeRequest(ctx, req.GetID())
	}
	return errors.New("sandbox: revoke: the token was not issued by this sandbox, or its " +
		"access token was already revoked (revoke the refresh token instead)")
}

// revokeAll revokes every grant issued so far.
func (a *authServer) revokeAll(ctx context.Context) error {
	a.storeMu.Lock()
	defer a.storeMu.Unlock()
	for _, id := range a.store.grants() {
		if err := a.store.revokeRequest(ctx, id); err != nil {
			return err
		}
	}
	return nil
}
