package capability

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// rule is an ErrorRule prepared for matching: paths split, regular
// expressions compiled once.
type rule struct {
	kind       Kind
	status     []int
	header     []predicate
	body       []predicate
	missing    *missingRule
	retryAfter string
}

type predicate struct {
	header string
	path   []string
	test   Test
	values []string
	re     *regexp.Regexp
	broken bool // never holds: an unknown test or a pattern that does not compile
}

type missingRule struct {
	path   []string
	body   bool
	header string
	re     *regexp.Regexp
	broken bool
	sep    string
	anyOf  bool
}

func compileRules(specs []ErrorRule) []rule {
	rules := make([]rule, len(specs))
	for i, s := range specs {
		rules[i] = rule{
			kind:       s.Kind,
			status:     s.Status,
			header:     compilePredicates(s.Header),
			body:       compilePredicates(s.Body),
			missing:    compileMissing(s.Missing),
			retryAfter: s.RetryAfter,
		}
	}
	return rules
}

func compilePredicates(specs []Predicate) []predicate {
	out := make([]predicate, len(specs))
	for i, s := range specs {
		p := predicate{header: s.Header, path: splitPath(s.Path), test: s.Test, values: s.Values}
		switch s.Test {
		case TestEquals, TestIn, TestContains, TestPresent, TestAbsent:
		case TestMatches:
			p.re, p.broken = compileAny(s.Values)
		default:
			p.broken = true
		}
		out[i] = p
	}
	return out
}

// compileAny joins patterns into one alternation, so Matches holds when any
// of them matches.
func compileAny(patterns []string) (*regexp.Regexp, bool) {
	if len(patterns) == 0 {
		return nil, true
	}
	parts := make([]string, len(patterns))
	for i, p := range patterns {
		parts[i] = "(?:" + p + ")"
	}
	re, err := regexp.Compile(strings.Join(parts, "|"))
	return re, err != nil
}

func compileMissing(m *MissingScopes) *missingRule {
	if m == nil {
		return nil
	}
	mr := &missingRule{
		path:   splitPath(m.Body),
		body:   m.Body != "",
		header: m.Header,
		sep:    m.Separator,
		anyOf:  m.AnyOf,
	}
	if m.Pattern != "" {
		re, err := regexp.Compile(m.Pattern)
		mr.re, mr.broken = re, err != nil
	}
	return mr
}

func splitPath(path string) []string {
	if path == "" {
		return nil
	}
	return strings.Split(path, ".")
}

// response is what the rules look at. The body is decoded as JSON at most
// once, and only when a rule asks for it.
type response struct {
	status  int
	header  http.Header
	body    []byte
	clean   func(string) string // removes known tokens from texts; may be nil
	decoded bool
	doc     any
	isJSON  bool
}

func (r *response) document() (any, bool) {
	if !r.decoded {
		r.decoded = true
		dec := json.NewDecoder(bytes.NewReader(r.body))
		dec.UseNumber()
		r.isJSON = dec.Decode(&r.doc) == nil
	}
	return r.doc, r.isJSON
}

// values returns what path points at in the body: nothing when the body is
// not JSON or the path leads nowhere, several values when it crosses "*".
func (r *response) values(path []string) []any {
	doc, ok := r.document()
	if !ok {
		return nil
	}
	current := []any{doc}
	for _, seg := range path {
		var next []any
		for _, v := range current {
			next = step(next, v, seg)
		}
		current = next
	}
	return current
}

func step(out []any, v any, seg string) []any {
	switch v := v.(type) {
	case map[string]any:
		if child, ok := v[seg]; ok {
			out = append(out, child)
		}
	case []any:
		if seg == "*" {
			return append(out, v...)
		}
		if i, err := strconv.Atoi(seg); err == nil && i >= 0 && i < len(v) {
			out = append(out, v[i])
		}
	}
	return out
}

// texts flattens JSON values into the text they are compared by: strings
// unquoted, numbers and booleans as written, arrays element by element.
func texts(out []string, values []any) []string {
	for _, v := range values {
		switch v := v.(type) {
		case string:
			out = append(out, v)
		case json.Number:
			out = append(out, v.String())
		case bool:
			out = append(out, strconv.FormatBool(v))
		case nil:
			out = append(out, "null")
		case []any:
			out = texts(out, v)
		default:
			raw, _ := json.Marshal(v)
			out = append(out, string(raw))
		}
	}
	return out
}

// classify applies the provider's error rules to a response. It returns nil
// for a success that no rule claims. The returned error names no provider,
// operation or capability; the caller fills those in.
func (p *Provider) classify(r *response) *Error {
	if p != nil {
		for i := range p.rules {
			if p.rules[i].matches(r) {
				return p.rules[i].result(r)
			}
		}
	}
	if r.status >= 200 && r.status <= 299 {
		return nil
	}
	return &Error{
		Status:     r.status,
		Kind:       KindHTTP,
		HTTPStatus: r.status,
		Message:    excerpt(r.body, r.clean),
	}
}

func (ru *rule) matches(r *response) bool {
	if len(ru.status) > 0 && !slices.Contains(ru.status, r.status) {
		return false
	}
	for i := range ru.header {
		if !ru.header[i].holdsForHeader(r.header) {
			return false
		}
	}
	for i := range ru.body {
		if !ru.body[i].holdsForBody(r) {
			return false
		}
	}
	return true
}

func (p *predicate) holdsForHeader(h http.Header) bool {
	values := h.Values(p.header)
	return p.holds(len(values) > 0, values)
}

func (p *predicate) holdsForBody(r *response) bool {
	values := r.values(p.path)
	return p.holds(len(values) > 0, texts(nil, values))
}

// holds applies the test: a path or header with several values holds when
// any of them does.
func (p *predicate) holds(present bool, values []string) bool {
	switch {
	case p.broken:
		return false
	case p.test == TestPresent:
		return present
	case p.test == TestAbsent:
		return !present
	}
	for _, v := range values {
		if p.holdsFor(v) {
			return true
		}
	}
	return false
}

func (p *predicate) holdsFor(v string) bool {
	switch p.test {
	case TestEquals, TestIn:
		return slices.Contains(p.values, v)
	case TestContains:
		return slices.ContainsFunc(p.values, func(s string) bool {
			return strings.Contains(v, s)
		})
	case TestMatches:
		return p.re.MatchString(v)
	}
	return false
}

func (ru *rule) result(r *response) *Error {
	e := &Error{
		Kind:       ru.kind,
		Status:     statusOf(ru.kind, r.status),
		HTTPStatus: r.status,
		Message:    providerMessage(r),
	}
	if ru.retryAfter != "" {
		e.RetryAfter = retryAfter(r.header.Get(ru.retryAfter), now())
	}
	if ru.missing != nil {
		e.Missing = ru.missing.names(r)
		e.MissingAnyOf = ru.missing.anyOf && len(e.Missing) > 0
	}
	return e
}

// names collects the scope names the response gives, sorted and without
// duplicates.
func (m *missingRule) names(r *response) []string {
	if m.broken {
		return nil
	}
	var names []string
	if m.body {
		for _, text := range texts(nil, r.values(m.path)) {
			names = m.split(names, text, m.sep)
		}
	}
	if m.header != "" {
		sep := orDefault(m.sep, ",")
		for _, text := range r.header.Values(m.header) {
			names = m.split(names, text, sep)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// split applies the pattern, if any, then the separator; an empty separator
// keeps the text as one name.
func (m *missingRule) split(names []string, text, sep string) []string {
	parts := []string{text}
	if m.re != nil {
		parts = parts[:0]
		for _, match := range m.re.FindAllStringSubmatch(text, -1) {
			parts = append(parts, match[min(1, len(match)-1)])
		}
	}
	for _, part := range parts {
		if sep == "" {
			names = append(names, nonEmpty([]string{part})...)
		} else {
			names = append(names, ParseScopes(part, sep)...)
		}
	}
	return names
}

// now is the clock Retry-After dates are measured against.
var now = time.Now

// retryAfter reads a Retry-After value: delay seconds or an HTTP date. A
// value that is neither, or a date in the past, gives no delay.
func retryAfter(value string, at time.Time) time.Duration {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(value, 10, 64); err == nil {
		const maxSecs = math.MaxInt64 / int64(time.Second)
		return time.Duration(min(max(secs, 0), maxSecs)) * time.Second
	}
	// Some providers (Shopify) send fractional seconds such as 2.0.
	if secs, err := strconv.ParseFloat(value, 64); err == nil && secs > 0 && secs < 1e9 {
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(value); err == nil && t.After(at) {
		return t.Sub(at)
	}
	return 0
}

// messagePaths are where common providers put a readable message, tried in
// order: HubSpot and GitHub use message, Google error.message, Slack error.
var messagePaths = [][]string{
	{"message"},
	{"error", "message"},
	{"error_description"},
	{"errors", "0", "message"},
	{"Detail"},
	{"detail"},
	{"error"},
}

// providerMessage picks the provider's own message from a JSON body, or an
// excerpt of any other body.
func providerMessage(r *response) string {
	for _, path := range messagePaths {
		for _, v := range r.values(path) {
			if s, ok := v.(string); ok && strings.TrimSpace(s) != "" {
				return excerpt([]byte(s), r.clean)
			}
		}
	}
	return excerpt(r.body, r.clean)
}
