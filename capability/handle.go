package capability

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// maxResponse bounds how much of a response body Call reads, so a broken or
// hostile server cannot exhaust memory.
const maxResponse = 10 << 20

// Handle proves that its holder's grant satisfies one capability. The zero
// Handle makes every call fail with ErrNoHandle. Handles are small values;
// copy them freely.
type Handle struct {
	client     *Client
	grant      *Grant
	capability string
}

// Capability returns the capability the handle carries, or "" for the zero
// Handle.
func (h Handle) Capability() string { return h.capability }

// Valid reports whether the handle was minted by Grant.Handle.
func (h Handle) Valid() bool {
	return h.client != nil && h.grant != nil && h.capability != ""
}

// Request is one operation call as generated code builds it.
type Request struct {
	PathParams []string // name, value pairs, in path order
	Query      url.Values
	Body       any // encoded as JSON when not nil
}

// Call performs operation op through the handle: it checks that the handle
// is valid and that op belongs to its capability, builds the URL from the
// provider's base URL, op's path and the request, encodes the body, sends the
// request with ctx, classifies a failed response with the provider's error
// rules into *Error, and decodes a successful JSON response into out (when
// out is not nil).
//
// Every failure is a *Error. A zero handle, an unknown op and an op of
// another capability are KindNoHandle; an op whose own requirement the grant
// does not meet is refused with a 403 before anything is sent. Every response is classified, not
// only non-2xx ones, because some providers report failures with status 200.
// A missing-scope response that does not name the scopes reports what the
// grant lacks for the operation or, when the grant seems to hold it, what
// the operation needs. A response body is read up to 10 MiB.
func (h Handle) Call(ctx context.Context, op string, req Request, out any) error {
	start := time.Now()
	spec, err := h.authorize(op)
	status := 0
	if err == nil {
		status, err = h.do(ctx, spec, req, out)
	}
	if h.client != nil && h.client.logger != nil {
		h.client.logCall(ctx, op, spec, status, time.Since(start), err)
	}
	return err
}

// authorize finds op and checks the handle may call it. On success it does
// not allocate, so the check costs nothing measurable on every call.
func (h Handle) authorize(op string) (*OperationSpec, error) {
	if !h.Valid() {
		return nil, &Error{
			Kind:      KindNoHandle,
			Operation: op,
			Message:   "zero handle: mint handles with Grant.Handle",
		}
	}
	spec, ok := h.client.provider.operation(op)
	if !ok {
		return nil, h.fail(op, KindNoHandle, fmt.Sprintf(
			"provider %s has no operation %s; regenerate the client",
			h.client.provider.Name(), op), nil)
	}
	if spec.Capability != h.capability {
		return nil, h.fail(op, KindNoHandle, fmt.Sprintf(
			"operation %s needs capability %s; call it through that capability's handle",
			op, spec.Capability), nil)
	}
	if need := h.requirement(spec); !need.SatisfiedBy(h.grant.scopes) {
		e := h.fail(op, KindMissingScope, "the grant does not satisfy this operation", nil)
		e.Missing = need.Missing(h.grant.scopes)
		return nil, e
	}
	return spec, nil
}

// requirement is what the provider accepts for spec: its own requirement,
// or its capability's when the table leaves it out.
func (h Handle) requirement(spec *OperationSpec) Requirement {
	if len(spec.Requirement.AnyOf) > 0 {
		return spec.Requirement
	}
	if c, ok := h.client.provider.capability(spec.Capability); ok {
		return c.Requirement
	}
	return Requirement{}
}

func (h Handle) fail(op string, kind Kind, msg string, cause error) *Error {
	return &Error{
		Kind:       kind,
		Status:     statusOf(kind, 0),
		Provider:   h.client.provider.Name(),
		Operation:  op,
		Capability: h.capability,
		Message:    msg,
		Err:        cause,
	}
}

// do sends the call and returns the HTTP status, if a response came back.
// A call the provider answers with an expired-token error is sent once more
// with a renewed token, when the client's source can renew it: the body is
// encoded once, so the retry sends the same bytes. A call refused for
// invalid credentials is sent once more only when another call has already
// replaced its token: providers that rotate tokens revoke the old access
// token on refresh, so calls in flight across a refresh see it as invalid,
// not expired.
func (h Handle) do(ctx context.Context, spec *OperationSpec, req Request, out any) (int, error) {
	target, body, err := h.prepare(ctx, spec, req)
	if err != nil {
		return 0, err
	}
	tokens := h.client.tokens
	tok, started, err := tokens.token(ctx)
	if err = h.tokenResult(ctx, spec.Name, "expiry", started, err); err != nil {
		return 0, err
	}

	status, err := h.send(ctx, spec, target, body, tok, out)
	e, ok := err.(*Error)
	if !ok || !tokens.canRenew() {
		return status, err
	}
	switch e.Kind {
	case KindExpired:
		tok, started, err = tokens.renew(ctx, tok)
		if err = h.tokenResult(ctx, spec.Name, "expired answer", started, err); err != nil {
			return status, err
		}
	case KindInvalidCredentials:
		newer := tokens.superseded(ctx, tok)
		if newer == nil {
			return status, err
		}
		tok = newer
	default:
		return status, err
	}
	return h.send(ctx, spec, target, body, tok, out)
}

// send makes one attempt of the call with tok.
func (h Handle) send(ctx context.Context, spec *OperationSpec, target string, body []byte,
	tok *oauth2.Token, out any) (int, error) {
	httpReq, err := h.newRequest(ctx, spec, target, body, tok)
	if err != nil {
		return 0, err
	}
	resp, err := h.client.http.Do(httpReq)
	if err != nil {
		return 0, h.sendError(ctx, spec.Name, "sending the request", err)
	}
	defer resp.Body.Close()
	h.client.observe(resp.Header)

	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return resp.StatusCode, h.sendError(ctx, spec.Name, "reading the response", err)
	}
	truncated := len(raw) > maxResponse
	raw = raw[:min(len(raw), maxResponse)]

	if e := h.classify(spec, resp, raw); e != nil {
		return resp.StatusCode, e
	}
	return resp.StatusCode, h.decode(spec.Name, raw, truncated, out)
}

// prepare builds the call's URL and encodes its body.
func (h Handle) prepare(ctx context.Context, spec *OperationSpec,
	req Request) (string, []byte, error) {
	if ctx == nil {
		return "", nil, h.fail(spec.Name, KindRequest,
			"nil context: pass context.Background()", nil)
	}
	if m := h.client.unfilled; m != "" {
		return "", nil, h.fail(spec.Name, KindRequest, "the base URL's "+m+
			" is not filled in: give the client WithPlaceholders or WithBaseURL", nil)
	}
	path, err := expandPath(spec.Path, req.PathParams)
	if err != nil {
		return "", nil, h.fail(spec.Name, KindRequest, err.Error(), err)
	}
	target := strings.TrimSuffix(h.client.baseURL, "/") + path
	if len(req.Query) > 0 {
		target += separatorFor(target) + req.Query.Encode()
	}
	if req.Body == nil {
		return target, nil, nil
	}
	raw, err := json.Marshal(req.Body)
	if err != nil {
		return "", nil, h.fail(spec.Name, KindRequest, "encoding the request body failed", err)
	}
	return target, raw, nil
}

func (h Handle) newRequest(ctx context.Context, spec *OperationSpec, target string,
	body []byte, tok *oauth2.Token) (*http.Request, error) {
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	method := orDefault(spec.Method, http.MethodGet)
	httpReq, err := http.NewRequestWithContext(ctx, method, target, reader)
	if err != nil {
		return nil, h.fail(spec.Name, KindRequest,
			"cannot build the request URL; check the base URL", err)
	}
	if body != nil {
		httpReq.Header.Set("Content-Type", "application/json")
	}
	httpReq.Header.Set("Accept", "application/json")
	switch header := h.client.provider.spec.Auth.TokenHeader; {
	case tok == nil:
	case header != "":
		httpReq.Header.Set(header, tok.AccessToken)
	default:
		tok.SetAuthHeader(httpReq)
	}
	return httpReq, nil
}

func separatorFor(target string) string {
	if strings.Contains(target, "?") {
		return "&"
	}
	return "?"
}

// expandPath replaces each {name} in path by its escaped value. A value
// that is empty, "." or ".." would make the URL name another resource, so it
// is refused, as is a placeholder left without a value.
func expandPath(path string, params []string) (string, error) {
	if len(params)%2 != 0 {
		return "", errors.New("path parameters must come in name, value pairs")
	}
	for i := 0; i < len(params); i += 2 {
		name, value := params[i], params[i+1]
		placeholder := "{" + name + "}"
		if !strings.Contains(path, placeholder) {
			return "", fmt.Errorf("path %s has no parameter %s", path, name)
		}
		if value == "" || value == "." || value == ".." {
			return "", fmt.Errorf("path parameter %s is %q; pass the resource's id", name, value)
		}
		path = strings.ReplaceAll(path, placeholder, url.PathEscape(value))
	}
	if open := strings.IndexByte(path, '{'); open >= 0 && strings.IndexByte(path[open:], '}') > 0 {
		return "", fmt.Errorf("path %s needs a value for every parameter", path)
	}
	return path, nil
}

// sendError turns a failure to get a response into a *Error.
func (h Handle) sendError(ctx context.Context, op, step string, err error) *Error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return h.fail(op, KindRequest, ctxErr.Error(), err)
	}
	cause := err
	if urlErr, ok := errors.AsType[*url.Error](err); ok && urlErr.Err != nil {
		cause = urlErr.Err // its URL repeats the query, which may hold personal data
	}
	msg := step + " failed: " + h.client.tokens.redact(cause.Error())
	return h.fail(op, KindRequest, msg, err)
}

// tokenResult turns a token source's failure into a *Error, and logs the
// refresh that this call started, if any.
func (h Handle) tokenResult(ctx context.Context, op, trigger string, started bool,
	err error) error {
	var e *Error
	if err != nil {
		e = h.tokenError(ctx, op, err)
	}
	if started && h.client.logger != nil {
		h.client.logRefresh(ctx, op, trigger, e)
	}
	if e == nil {
		return nil
	}
	return e
}

// tokenError classifies a token source's failure. A token endpoint that
// refused to refresh, or a token that cannot be refreshed, means the
// connection must be authorized again, which is a 401 like any expired
// token.
func (h Handle) tokenError(ctx context.Context, op string, err error) *Error {
	retrieve, isRetrieve := errors.AsType[*oauth2.RetrieveError](err)
	_, isHook := errors.AsType[*hookError](err)
	switch {
	case ctx.Err() != nil:
		return h.fail(op, KindRequest, ctx.Err().Error(), err)
	case isRetrieve:
		return h.refreshError(op, retrieve, err)
	case errors.Is(err, errCannotRefresh):
		return h.fail(op, KindInvalidCredentials, "the access token expired and "+
			"cannot be refreshed; authorize the connection again", err)
	case isHook:
		return h.fail(op, KindRequest, "the token hook failed to keep the refreshed "+
			"token, so it was not used; see the wrapped error", err)
	}
	return h.fail(op, KindRequest, "the token source failed; see the wrapped error", err)
}

// errorCode is what an OAuth error code looks like (RFC 6749 section 5.2
// allows printable ASCII; providers use words joined by underscores). A
// token endpoint's code is shown only when it looks like one, because a
// broken endpoint may put anything there, the refresh token included.
var errorCode = regexp.MustCompile(`^[A-Za-z][A-Za-z_.-]{0,63}$`)

func (h Handle) refreshError(op string, re *oauth2.RetrieveError, err error) *Error {
	status := 0
	if re.Response != nil {
		status = re.Response.StatusCode
	}
	if status >= 500 || status == http.StatusTooManyRequests {
		return h.fail(op, KindRequest, "the token endpoint is unavailable; retry later", err)
	}
	msg := "refreshing the access token was refused"
	if code := re.ErrorCode; errorCode.MatchString(code) && h.client.tokens.redact(code) == code {
		msg += " (" + code + ")"
	}
	e := h.fail(op, KindInvalidCredentials, msg+"; authorize the connection again", err)
	e.HTTPStatus = status
	return e
}

// classify applies the provider's rules and completes the error with the
// call's names and, for a missing scope the provider did not name, what the
// operation's requirement lacks.
func (h Handle) classify(spec *OperationSpec, resp *http.Response, body []byte) *Error {
	clean := h.client.tokens.redact
	r := &response{status: resp.StatusCode, header: resp.Header, body: body, clean: clean}
	e := h.client.provider.classify(r)
	if e == nil {
		return nil
	}
	e.Provider = h.client.provider.Name()
	e.Operation, e.Capability = spec.Name, h.capability
	for i, name := range e.Missing {
		e.Missing[i] = clean(name)
	}
	if e.Kind == KindMissingScope && len(e.Missing) == 0 {
		need := h.requirement(spec)
		e.Missing, e.MissingAnyOf = need.Missing(h.grant.scopes), false
		if len(e.Missing) == 0 {
			e.Missing, e.MissingAnyOf = neededScopes(need)
		}
	}
	return e
}

// neededScopes names what a requirement asks for. It serves when a provider
// refuses a call for want of a scope that the grant seems to hold, which
// happens when scopes were revoked after the grant was read. Alternatives of
// one scope each are listed as alternatives; otherwise the first alternative
// is named, since a list of lists would not fit Error.Missing.
func neededScopes(r Requirement) (names []string, anyOf bool) {
	if len(r.AnyOf) == 0 {
		return nil, false
	}
	for _, alt := range r.AnyOf {
		if len(alt) != 1 {
			names = slices.Sorted(slices.Values(r.AnyOf[0]))
			return slices.Compact(names), false
		}
		names = append(names, alt[0])
	}
	slices.Sort(names)
	names = slices.Compact(names)
	return names, len(names) > 1
}

func (h Handle) decode(op string, body []byte, truncated bool, out any) error {
	if out == nil || len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if truncated {
		return h.fail(op, KindDecode, "the response is larger than 10 MiB", nil)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return h.fail(op, KindDecode, "the response is not the expected JSON", err)
	}
	return nil
}

// logCall logs one call's outcome. It names the operation and its path
// template, never the expanded path, query, headers or body, which may hold
// personal data.
func (c *Client) logCall(ctx context.Context, op string, spec *OperationSpec,
	status int, took time.Duration, err error) {
	if ctx == nil {
		ctx = context.Background()
	}
	attrs := []slog.Attr{
		slog.String("provider", c.provider.Name()),
		slog.String("operation", op),
	}
	if spec != nil {
		attrs = append(attrs,
			slog.String("method", orDefault(spec.Method, http.MethodGet)),
			slog.String("path", spec.Path))
	}
	attrs = append(attrs, slog.Int("status", status), slog.Duration("duration", took))
	if e, ok := errors.AsType[*Error](err); ok {
		attrs = append(attrs, slog.String("kind", string(e.Kind)))
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "capability call", attrs...)
}

// logRefresh logs a token refresh that a call started: what set it off
// (the token's expiry, or the provider's answer) and how it ended.
func (c *Client) logRefresh(ctx context.Context, op, trigger string, e *Error) {
	outcome := "refreshed"
	if e != nil {
		outcome = string(e.Kind)
	}
	c.logger.LogAttrs(ctx, slog.LevelDebug, "capability token refresh",
		slog.String("provider", c.provider.Name()),
		slog.String("operation", op),
		slog.String("trigger", trigger),
		slog.String("outcome", outcome))
}
