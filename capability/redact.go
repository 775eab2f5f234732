package capability

import (
	"context"
	"regexp"
	"strings"
	"sync/atomic"
	"unicode"

	"golang.org/x/oauth2"
)

// maxExcerpt is how many characters of a provider's text an error keeps:
// enough to recognise the failure, short enough for a log line.
const maxExcerpt = 200

// credentialText matches credentials that a misbehaving server might echo
// back: an Authorization value, or a token field in JSON or a form.
var credentialText = regexp.MustCompile(
	`(?i)(bearer\s+)[^\s",;]+` +
		`|("(?:access_token|refresh_token|id_token|client_secret)"\s*:\s*")[^"]*` +
		`|((?:access_token|refresh_token|id_token|client_secret)=)[^&\s"]+`)

// cleanWindow bounds how much of a body is cleaned before it is cut to an
// excerpt. It is far longer than any token, so a token that starts inside the
// excerpt is removed whole rather than cut and left half visible.
const cleanWindow = 64 << 10

// excerpt turns a provider's text into one short line of printable text,
// with the known tokens (through clean, which may be nil) and anything that
// looks like a credential removed.
func excerpt(raw []byte, clean func(string) string) string {
	if len(raw) > cleanWindow {
		raw = raw[:cleanWindow]
	}
	text := strings.ToValidUTF8(string(raw), "")
	if clean != nil {
		text = clean(text)
	}
	text = strings.Map(printable, text)
	text = strings.Join(strings.Fields(text), " ")
	text = credentialText.ReplaceAllString(text, "$1$2$3[redacted]")
	if runes := []rune(text); len(runes) > maxExcerpt {
		text = string(runes[:maxExcerpt]) + "…"
	}
	return text
}

func printable(r rune) rune {
	if unicode.IsPrint(r) {
		return r
	}
	return ' '
}

// recentTokens are the last tokens a client used, newest first.
type recentTokens [4]*oauth2.Token

// tokenWatch gets a client's tokens and remembers the last few it used, so
// that error texts can be cleaned of them even when a server echoes one in
// an unexpected form, and even just after a refresh replaced it.
type tokenWatch struct {
	source    oauth2.TokenSource
	refresher *RefreshingSource // source, when the client may ask it to refresh
	recent    atomic.Pointer[recentTokens]
}

func newTokenWatch(ts oauth2.TokenSource) *tokenWatch {
	w := &tokenWatch{source: ts}
	w.refresher, _ = ts.(*RefreshingSource)
	return w
}

// token returns the token for the next request, and whether this call
// started a refresh to get it. A nil watch has no token.
func (w *tokenWatch) token(ctx context.Context) (*oauth2.Token, bool, error) {
	if w == nil {
		return nil, false, nil
	}
	var (
		tok     *oauth2.Token
		started bool
		err     error
	)
	if w.refresher != nil {
		tok, started, err = w.refresher.current(ctx)
	} else {
		tok, err = w.source.Token()
	}
	if err != nil {
		return nil, started, err
	}
	w.remember(tok)
	return tok, started, nil
}

// canRenew reports whether the client may replace a token the provider
// said had expired.
func (w *tokenWatch) canRenew() bool { return w != nil && w.refresher != nil }

// renew replaces failed, which the provider said had expired.
func (w *tokenWatch) renew(ctx context.Context,
	failed *oauth2.Token) (*oauth2.Token, bool, error) {
	tok, started, err := w.refresher.renew(ctx, failed)
	if err == nil {
		w.remember(tok)
	}
	return tok, started, err
}

// superseded returns the token that replaced failed since failed was handed
// out, or nil when failed is still the current one.
func (w *tokenWatch) superseded(ctx context.Context, failed *oauth2.Token) *oauth2.Token {
	tok := w.refresher.replacement(ctx, failed)
	if tok != nil {
		w.remember(tok)
	}
	return tok
}

// remember puts tok first among the recent tokens. Only a token that is not
// there yet allocates, so a client that keeps its token costs nothing.
func (w *tokenWatch) remember(tok *oauth2.Token) {
	if tok == nil {
		return
	}
	for {
		old := w.recent.Load()
		if old.holds(tok) {
			return
		}
		next := &recentTokens{tok}
		if old != nil {
			copy(next[1:], old[:])
		}
		if w.recent.CompareAndSwap(old, next) {
			return
		}
	}
}

func (r *recentTokens) holds(tok *oauth2.Token) bool {
	if r == nil {
		return false
	}
	for _, t := range r {
		if t != nil && t.AccessToken == tok.AccessToken && t.RefreshToken == tok.RefreshToken {
			return true
		}
	}
	return false
}

// redact removes the recent tokens' secrets, and the client secret of a
// refreshing source, from text.
func (w *tokenWatch) redact(text string) string {
	if w == nil {
		return text
	}
	var secrets []string
	if recent := w.recent.Load(); recent != nil {
		for _, tok := range recent {
			if tok != nil {
				secrets = append(secrets, tok.AccessToken, tok.RefreshToken)
			}
		}
	}
	if w.refresher != nil && w.refresher.conf != nil {
		secrets = append(secrets, w.refresher.conf.ClientSecret)
	}
	return secretsCleaner(secrets...)(text)
}
