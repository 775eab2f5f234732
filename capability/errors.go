package capability

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Kind classifies a failure.
type Kind string

// The kinds of failure. The first five come from a provider's error rules;
// the others are raised by the runtime itself.
const (
	// KindExpired reports a token the provider says has expired. A client
	// whose source is a *RefreshingSource refreshes the token and sends the
	// call again, so its callers see KindExpired only when the provider
	// refused the new token as well.
	KindExpired Kind = "expired"

	// KindInvalidCredentials reports credentials that only a new
	// authorization can repair: a revoked or unknown token, a token the
	// token endpoint refused to refresh (invalid_grant), an expired token
	// without a refresh token, or one an introspection endpoint calls
	// inactive.
	KindInvalidCredentials Kind = "invalid_credentials"

	// KindMissingScope reports a call refused for want of a scope,
	// KindForbidden one refused for another reason, KindRateLimited a rate
	// limit.
	KindMissingScope Kind = "missing_scope"
	KindForbidden    Kind = "forbidden"
	KindRateLimited  Kind = "rate_limited"

	// KindNoHandle reports a call or a handle the grant does not allow: a
	// zero Handle, an operation outside the handle's capability, an unknown
	// operation or capability, or a grant and client for different providers.
	KindNoHandle Kind = "no_handle"

	// KindHTTP reports a failed response that no error rule matched.
	KindHTTP Kind = "http"

	// KindRequest reports a call that could not be built, sent or read: bad
	// path parameters, a body that does not encode, a network failure, a
	// cancelled context, a token source or token hook that failed, a token
	// endpoint that is down, or an introspection endpoint that could not be
	// reached or refused the client. Err holds the cause.
	KindRequest Kind = "request"

	// KindDecode reports a successful response, or a token's scope field,
	// that could not be decoded. The provider may have acted on the call, so
	// retrying it is not always safe. Err holds the cause.
	KindDecode Kind = "decode"
)

// kindText is how Error.Error names each kind.
var kindText = map[Kind]string{
	KindExpired:            "token expired",
	KindInvalidCredentials: "invalid credentials",
	KindMissingScope:       "missing scope",
	KindForbidden:          "forbidden",
	KindRateLimited:        "rate limited",
	KindNoHandle:           "no handle",
	KindRequest:            "request failed",
	KindDecode:             "cannot decode response",
}

// statusOf is the normalized status of each kind that has one.
func statusOf(k Kind, httpStatus int) int {
	switch k {
	case KindExpired, KindInvalidCredentials:
		return http.StatusUnauthorized
	case KindMissingScope, KindForbidden:
		return http.StatusForbidden
	case KindRateLimited:
		return http.StatusTooManyRequests
	case KindNoHandle, KindRequest, KindDecode:
		return 0
	}
	return httpStatus
}

// sentinel is the type of the Err* values, so that they can only be matched
// through Error.Is and never mistaken for a real failure.
type sentinel struct{ text string }

// Error returns the sentinel's text.
func (s *sentinel) Error() string { return s.text }

// Sentinels for errors.Is: ErrUnauthorized matches every *Error with status
// 401, ErrForbidden 403, ErrRateLimited 429, ErrNoHandle every *Error of
// KindNoHandle, such as a call through a zero Handle.
var (
	ErrUnauthorized error = &sentinel{"capability: unauthorized"}
	ErrForbidden    error = &sentinel{"capability: forbidden"}
	ErrRateLimited  error = &sentinel{"capability: rate limited"}
	ErrNoHandle     error = &sentinel{"capability: no handle"}
)

// Error is the one error capgen's runtime returns for a failed call or grant.
// The same failure reads the same on every provider: an expired token is a
// 401, a missing scope a 403 naming the scopes where they are known.
type Error struct {
	Status     int // normalized: 401, 403, 429, or the HTTP status for KindHTTP
	Kind       Kind
	Provider   string
	Feature    string // the product feature a failed verification was for
	Operation  string
	Capability string

	// Missing holds the missing scopes, sorted. When MissingAnyOf is true
	// they are alternatives and any one of them would do.
	Missing      []string
	MissingAnyOf bool

	// Alternatives are the scope sets that would satisfy Capability, when
	// a grant failed verification.
	Alternatives [][]string

	HTTPStatus int // the provider's own status (Slack: 200)
	RetryAfter time.Duration

	// Message is a short text from the provider or the runtime. Tokens are
	// removed from it, and it never holds request headers.
	Message string

	// Err is the underlying cause, if any. Error does not print it, because
	// causes such as token source failures may carry secrets.
	Err error
}

// Error reads like "hubspot: GetContact (contact.read): 403 missing scope:
// missing crm.objects.contacts.read".
func (e *Error) Error() string {
	if e == nil {
		return "capability: <nil>"
	}
	var b strings.Builder
	e.writeSubject(&b)
	e.writeStatus(&b)
	e.writeDetail(&b)
	return b.String()
}

func (e *Error) writeSubject(b *strings.Builder) {
	b.WriteString(orDefault(e.Provider, "capability"))
	if e.Feature != "" {
		b.WriteString(": feature " + e.Feature)
	}
	switch {
	case e.Operation != "" && e.Capability != "":
		b.WriteString(": " + e.Operation + " (" + e.Capability + ")")
	case e.Operation != "":
		b.WriteString(": " + e.Operation)
	case e.Capability != "":
		b.WriteString(": " + e.Capability)
	}
	b.WriteString(": ")
}

func (e *Error) writeStatus(b *strings.Builder) {
	if e.Status != 0 {
		b.WriteString(strconv.Itoa(e.Status) + " ")
	}
	text, ok := kindText[e.Kind]
	switch {
	case ok:
	case e.Kind == KindHTTP || e.Kind == "":
		text = strings.ToLower(http.StatusText(e.Status))
	default:
		text = string(e.Kind)
	}
	b.WriteString(orDefault(text, "error"))
}

func (e *Error) writeDetail(b *strings.Builder) {
	switch {
	case len(e.Missing) > 0 && e.MissingAnyOf:
		b.WriteString(": missing one of " + strings.Join(e.Missing, ", "))
	case len(e.Missing) > 0:
		b.WriteString(": missing " + strings.Join(e.Missing, ", "))
	case e.Message != "":
		b.WriteString(": " + e.Message)
	}
	if e.RetryAfter > 0 {
		b.WriteString(" (retry after " + e.RetryAfter.String() + ")")
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Unwrap returns the underlying cause, such as a context or network error.
func (e *Error) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// Is reports whether target is the sentinel for e's status or kind, so that
// errors.Is(err, ErrForbidden) holds for every provider's way of saying 403.
func (e *Error) Is(target error) bool {
	if e == nil {
		return false
	}
	switch target {
	case ErrUnauthorized:
		return e.Status == http.StatusUnauthorized
	case ErrForbidden:
		return e.Status == http.StatusForbidden
	case ErrRateLimited:
		return e.Status == http.StatusTooManyRequests
	case ErrNoHandle:
		return e.Kind == KindNoHandle
	}
	return false
}
