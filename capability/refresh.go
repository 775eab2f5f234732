package capability

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
)

// refreshTimeout bounds one refresh, hook included. A refresh does not end
// with the call that started it: a provider that rotates refresh tokens may
// already have spent the old one, and the new one must reach the hook.
const refreshTimeout = 30 * time.Second

// errCannotRefresh reports a token that needs a refresh but has no refresh
// token, or a source without an oauth2.Config.
var errCannotRefresh = errors.New("capability: the access token expired and " +
	"there is no refresh token to renew it")

// RefreshingSource is an oauth2.TokenSource for one connection. It
// refreshes the token when its Expiry has passed and, for a Client built
// with it, when the provider answers that the token expired although its
// Expiry says otherwise (revoked early, clock skew). Callers that need a
// refresh at the same time share a single one. Every refreshed token goes
// to the hook set with WithTokenHook before anyone uses it. A
// RefreshingSource is safe for concurrent use, and may serve several
// clients of the same connection.
type RefreshingSource struct {
	ctx  context.Context
	conf *oauth2.Config
	hook func(context.Context, *oauth2.Token) error

	mu      sync.Mutex
	tok     *oauth2.Token
	pending *oauth2.Token // refreshed, but refused by the hook
	flight  *flight       // the refresh under way, if any

	refreshes atomic.Int64
}

// flight is one refresh that several callers wait for.
type flight struct {
	done chan struct{}
	tok  *oauth2.Token
	err  error
}

func (f *flight) wait(ctx context.Context) (*oauth2.Token, error) {
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// SourceOption configures a RefreshingSource.
type SourceOption func(*RefreshingSource)

// WithTokenHook sets the function that receives every refreshed token
// before it is used, to store it. With a provider that rotates refresh
// tokens (GitHub Apps, Xero, Slack with rotation) the new RefreshToken is
// the only one that still works; when the provider sends none, the token
// carries the previous one. If hook fails, the token is not used: the call
// that needed it fails with a *Error of KindRequest that wraps hook's
// error, and the next refresh offers the same token to hook again rather
// than spending its refresh token, so a passing storage failure loses
// nothing. hook runs with the source's context, bounded to 30 seconds; it
// must not ask the source for a token, which would wait for hook itself.
func WithTokenHook(hook func(ctx context.Context, tok *oauth2.Token) error) SourceOption {
	return func(s *RefreshingSource) { s.hook = hook }
}

// NewRefreshingSource returns a source that starts with tok and refreshes
// it at conf's token endpoint. As with oauth2.Config.TokenSource, ctx
// serves every refresh: its oauth2.HTTPClient value, if set, is the HTTP
// client for the token endpoint, and its values reach the hook. Pass a
// context that lives as long as the connection, not a request's.
func NewRefreshingSource(ctx context.Context, conf *oauth2.Config, tok *oauth2.Token,
	opts ...SourceOption) *RefreshingSource {
	if ctx == nil {
		ctx = context.Background()
	}
	s := &RefreshingSource{ctx: ctx, conf: conf, tok: tok}
	for _, opt := range opts {
		if opt != nil {
			opt(s)
		}
	}
	return s
}

// Token returns the current token, refreshed first when its Expiry has
// passed. It implements oauth2.TokenSource, so the source also serves
// oauth2.NewClient and anything else that takes one.
func (s *RefreshingSource) Token() (*oauth2.Token, error) {
	tok, _, err := s.current(s.ctx)
	return tok, err
}

// Refreshes returns how many times the source has asked the token endpoint
// for a new token.
func (s *RefreshingSource) Refreshes() int64 { return s.refreshes.Load() }

// current returns the token for the next request, and whether this call
// started the refresh it waited for.
func (s *RefreshingSource) current(ctx context.Context) (*oauth2.Token, bool, error) {
	s.mu.Lock()
	if tok := s.tok; tok.Valid() {
		s.mu.Unlock()
		return tok, false, nil
	}
	f, started := s.startLocked()
	s.mu.Unlock()
	tok, err := f.wait(ctx)
	return tok, started, err
}

// renew replaces failed, a token the provider said had expired. A caller
// whose token was already replaced by another caller's refresh gets the
// replacement without a new refresh, so a burst of calls that all fail with
// the same expired token causes one refresh.
func (s *RefreshingSource) renew(ctx context.Context,
	failed *oauth2.Token) (*oauth2.Token, bool, error) {
	s.mu.Lock()
	if tok := s.tok; replaces(tok, failed) {
		s.mu.Unlock()
		return tok, false, nil
	}
	f, started := s.startLocked()
	s.mu.Unlock()
	tok, err := f.wait(ctx)
	return tok, started, err
}

// replacement returns the token that replaced failed, waiting for a
// refresh under way, so that a call whose token another call's refresh
// revoked can be sent again without a refresh of its own. It returns nil
// when nothing replaced failed.
func (s *RefreshingSource) replacement(ctx context.Context, failed *oauth2.Token) *oauth2.Token {
	s.mu.Lock()
	tok, f := s.tok, s.flight
	s.mu.Unlock()
	if replaces(tok, failed) {
		return tok
	}
	if f == nil || failed == nil {
		return nil
	}
	if tok, err := f.wait(ctx); err == nil && replaces(tok, failed) {
		return tok
	}
	return nil
}

// replaces reports whether tok is a valid token other than failed.
func replaces(tok, failed *oauth2.Token) bool {
	return tok.Valid() && failed != nil && tok.AccessToken != failed.AccessToken
}

// startLocked joins the refresh under way or starts one. It runs apart from
// its callers, so each of them can give up waiting when its own context
// ends without cutting the refresh short for the others.
func (s *RefreshingSource) startLocked() (*flight, bool) {
	if s.flight != nil {
		return s.flight, false
	}
	s.flight = &flight{done: make(chan struct{})}
	go s.run(s.flight, s.pending, s.tok)
	return s.flight, true
}

func (s *RefreshingSource) run(f *flight, pending, old *oauth2.Token) {
	ctx, cancel := context.WithTimeout(s.ctx, refreshTimeout)
	defer cancel()

	tok, err := pending, error(nil)
	if tok == nil {
		tok, err = s.refresh(ctx, old)
	}
	if err == nil && s.hook != nil {
		if hookErr := s.hook(ctx, tok); hookErr != nil {
			err = &hookError{err: hookErr}
		}
	}

	s.mu.Lock()
	switch _, refused := err.(*hookError); {
	case err == nil:
		s.tok, s.pending = tok, nil
	case refused:
		s.pending = tok
	}
	s.flight = nil
	s.mu.Unlock()

	if err != nil {
		tok = nil
	}
	f.tok, f.err = tok, err
	close(f.done)
}

func (s *RefreshingSource) refresh(ctx context.Context, old *oauth2.Token) (*oauth2.Token, error) {
	if s.conf == nil || old == nil || old.RefreshToken == "" {
		return nil, errCannotRefresh
	}
	s.refreshes.Add(1)
	return s.conf.TokenSource(ctx, &oauth2.Token{RefreshToken: old.RefreshToken}).Token()
}

// hookError is a token hook's failure.
type hookError struct{ err error }

// Error says what failed without the hook's own text, which the caller
// reads through Unwrap.
func (e *hookError) Error() string {
	return "capability: the token hook refused the refreshed token"
}

// Unwrap returns the hook's error.
func (e *hookError) Unwrap() error { return e.err }
