package capability

import (
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

// tokenWatch remembers the last token a client's source handed out, so that
// error texts can be cleaned of it even when a server echoes it in an
// unexpected form.
type tokenWatch struct {
	source oauth2.TokenSource
	last   atomic.Pointer[oauth2.Token]
}

// tokenError marks a failure of the token source, so that Call can tell it
// from a network failure.
type tokenError struct{ err error }

// Error describes the failure; only Unwrap's callers see it, never Call's.
func (e *tokenError) Error() string {
	return "capability: getting an access token: " + e.err.Error()
}

// Unwrap returns the token source's own error.
func (e *tokenError) Unwrap() error { return e.err }

// Token implements oauth2.TokenSource.
func (w *tokenWatch) Token() (*oauth2.Token, error) {
	tok, err := w.source.Token()
	if err != nil {
		return nil, &tokenError{err: err}
	}
	if tok != nil {
		w.last.Store(tok)
	}
	return tok, nil
}

// redact removes the last token's secrets from text.
func (w *tokenWatch) redact(text string) string {
	if w == nil {
		return text
	}
	tok := w.last.Load()
	if tok == nil {
		return text
	}
	for _, secret := range []string{tok.AccessToken, tok.RefreshToken} {
		if len(secret) >= 4 {
			text = strings.ReplaceAll(text, secret, "[redacted]")
		}
	}
	return text
}
