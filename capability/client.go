package capability

import (
	"errors"
	"log/slog"
	"net/http"
	"sync/atomic"

	"golang.org/x/oauth2"
)

// Client sends a provider's API calls for one connection. It is safe for
// concurrent use.
type Client struct {
	provider *Provider
	http     *http.Client // the base client, with the redirect policy below
	baseURL  string
	// unfilled is the first placeholder baseURL still holds, found once
	// here rather than on every call.
	unfilled string
	logger   *slog.Logger
	tokens   *tokenWatch // nil without a token source
	observed atomic.Pointer[observed]
}

// Option configures a Client.
type Option func(*clientConfig)

type clientConfig struct {
	httpClient   *http.Client
	baseURL      string
	placeholders map[string]string
	logger       *slog.Logger
}

// WithHTTPClient sets the HTTP client that sends the calls; the client adds
// the Authorization header to each request itself. Its transport, timeout,
// cookie jar and redirect policy are kept.
func WithHTTPClient(c *http.Client) Option {
	return func(cfg *clientConfig) { cfg.httpClient = c }
}

// WithBaseURL replaces the provider's base URL, for tests and sandboxes.
func WithBaseURL(u string) Option {
	return func(cfg *clientConfig) { cfg.baseURL = u }
}

// WithPlaceholders fills the {placeholders} of the provider's base URL for
// one connection, such as Shopify's {shop}; the spec's placeholder defaults
// fill the others. A call made while a placeholder is still unfilled fails
// with KindRequest before anything is sent.
func WithPlaceholders(values map[string]string) Option {
	return func(cfg *clientConfig) { cfg.placeholders = values }
}

// WithLogger logs each call's outcome, and each token refresh a call
// started, at debug level; silent by default. Logs name the provider,
// operation, method, path template, status and failure kind; never a token,
// a header, a query or a body.
func WithLogger(l *slog.Logger) Option {
	return func(cfg *clientConfig) { cfg.logger = l }
}

// NewClient builds a client whose requests carry tokens from ts. A nil ts
// sends requests without an Authorization header, which only suits
// sandboxes and public endpoints.
//
// When ts is a *RefreshingSource, a call that the provider answers with an
// expired-token error (KindExpired) refreshes the token and is sent once
// more; otherwise ts alone decides when tokens change.
//
// Unless the base client sets its own redirect policy, the client does not
// follow a redirect to another host or from https to http. Such a redirect
// is returned as an unmatched 3xx response.
func NewClient(p *Provider, ts oauth2.TokenSource, opts ...Option) *Client {
	var cfg clientConfig
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	base := cfg.httpClient
	if base == nil {
		base = http.DefaultClient
	}

	c := &Client{provider: p, baseURL: cfg.baseURL, logger: cfg.logger}
	if c.baseURL == "" {
		c.baseURL, _ = p.fillPlaceholders(p.BaseURL(), cfg.placeholders)
	}
	c.unfilled = placeholderPattern.FindString(c.baseURL)
	hc := *base
	c.http = &hc
	if ts != nil {
		c.tokens = newTokenWatch(ts)
		if hc.CheckRedirect == nil {
			hc.CheckRedirect = sameOriginRedirect
		}
	}
	return c
}

// maxRedirects matches net/http's own limit.
const maxRedirects = 10

func sameOriginRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return errors.New("stopped after 10 redirects")
	}
	first := via[0].URL
	if req.URL.Host != first.Host || (first.Scheme == "https" && req.URL.Scheme != "https") {
		return http.ErrUseLastResponse
	}
	return nil
}
