package sandbox

import (
	"cmp"
	"regexp"
	"slices"
	"strings"

	"github.com/capgen/capgen/internal/model"
)

// route matches requests to one operation by method and path template.
type route struct {
	op      model.Operation
	method  string
	pattern *regexp.Regexp
	literal int // characters of the template outside parameters
}

// templateParam is a {name} of a path template, which may share a segment
// with literal text, as in /orders/{orderId}.json or {id}:batchUpdate.
var templateParam = regexp.MustCompile(`\{[^}/]*\}`)

// newRoutes compiles the operations' templates, most literal text first, so
// that /contacts/search wins over /contacts/{contactId} and
// /values/{range}:append over /values/{range}.
func newRoutes(ops []model.Operation) []route {
	routes := make([]route, 0, len(ops))
	for _, op := range ops {
		literals := templateParam.Split(op.Path, -1)
		quoted := make([]string, len(literals))
		for i, l := range literals {
			quoted[i] = regexp.QuoteMeta(l)
		}
		routes = append(routes, route{
			op:      op,
			method:  cmp.Or(op.Method, "GET"),
			pattern: regexp.MustCompile("^" + strings.Join(quoted, "[^/]+") + "$"),
			literal: len(strings.Join(literals, "")),
		})
	}
	slices.SortStableFunc(routes, func(a, b route) int { return b.literal - a.literal })
	return routes
}

// match finds the operation for a method and an escaped request path. The
// runtime escapes path parameters, so a parameter never holds a slash.
func match(routes []route, method, path string) (*route, bool) {
	for i := range routes {
		if routes[i].method == method && routes[i].pattern.MatchString(path) {
			return &routes[i], true
		}
	}
	return nil, false
}
