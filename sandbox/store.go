package sandbox

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/ory/fosite"
	"github.com/ory/fosite/storage"
)

// store is fosite's in-memory storage plus what the test controls need:
// which access tokens to treat as expired, and which grants exist so that
// they can all be revoked.
type store struct {
	*storage.MemoryStore

	mu        sync.Mutex
	issued    []string        // access token signatures, in issue order
	expired   map[string]bool // signatures that Expire turned stale
	requests  []string        // request IDs of every grant, in issue order
	withdrawn map[string]bool // scopes Withdraw took back from every grant
}

func newStore() *store {
	return &store{MemoryStore: storage.NewMemoryStore(), expired: map[string]bool{},
		withdrawn: map[string]bool{}}
}

// CreateAccessTokenSession records the token before storing it.
func (s *store) CreateAccessTokenSession(ctx context.Context, signature string,
	req fosite.Requester) error {
	s.mu.Lock()
	s.issued = append(s.issued, signature)
	if !slices.Contains(s.requests, req.GetID()) {
		s.requests = append(s.requests, req.GetID())
	}
	s.mu.Unlock()
	return s.MemoryStore.CreateAccessTokenSession(ctx, signature, req)
}

// GetAccessTokenSession hands out a copy that expired a second ago for the
// tokens Expire marked. The stored request is not changed, because fosite
// reads it from other goroutines without the store's knowledge.
func (s *store) GetAccessTokenSession(ctx context.Context, signature string,
	session fosite.Session) (fosite.Requester, error) {
	req, err := s.MemoryStore.GetAccessTokenSession(ctx, signature, session)
	if err != nil {
		return req, err
	}
	if s.isExpired(signature) {
		stale := req.Sanitize(nil)
		clone := req.GetSession().Clone()
		clone.SetExpiresAt(fosite.AccessToken, time.Now().UTC().Add(-time.Second))
		stale.SetSession(clone)
		req = stale
	}
	return s.withoutWithdrawn(req), nil
}

// withoutWithdrawn hands out a copy of req whose granted scopes lack the
// withdrawn ones, leaving the stored request alone for the same reason as
// GetAccessTokenSession.
func (s *store) withoutWithdrawn(req fosite.Requester) fosite.Requester {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.withdrawn) == 0 {
		return req
	}
	copied, ok := req.Sanitize(nil).(*fosite.Request)
	if !ok {
		return req
	}
	copied.GrantedScope = slices.DeleteFunc(slices.Clone(copied.GrantedScope),
		func(scope string) bool { return s.withdrawn[scope] })
	return copied
}

// withdraw takes scopes back from every grant, past and future tokens alike.
func (s *store) withdraw(scopes []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, scope := range scopes {
		s.withdrawn[scope] = true
	}
}

func (s *store) isExpired(signature string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.expired[signature]
}

// expireAll marks every access token issued so far as expired.
func (s *store) expireAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sig := range s.issued {
		s.expired[sig] = true
	}
}

// revokeRequest revokes the access and refresh tokens of one grant.
func (s *store) revokeRequest(ctx context.Context, id string) error {
	if err := s.RevokeRefreshToken(ctx, id); err != nil {
		return err
	}
	return s.RevokeAccessToken(ctx, id)
}

// grants returns the request IDs of every grant issued so far.
func (s *store) grants() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}
