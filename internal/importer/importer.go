// Package importer drafts a capgen provider spec from an API description:
// an OpenAPI 2.0 or 3.x document (JSON or YAML) or a Google API Discovery
// document. The draft holds what the description states (base URL, OAuth
// endpoints, scopes, operations, parameters, body types and the scopes each
// operation accepts) and suggests a capability for every operation. What the
// description cannot decide is marked in the output with "# DECIDE:" comments,
// and operations that no vocabulary capability fits are written commented out
// under "# TODO(decide):", so that the draft passes capgen check as it is.
//
// Rules the output follows:
//
//   - Operation names. OpenAPI: the operationId in upper camel case, or the
//     method and the path's words when there is none. Discovery: the method
//     id without the API name, verb first: drive.files.list -> ListFiles,
//     drive.files.get -> GetFile (the innermost resource is made singular for
//     every verb but list), gmail.users.messages.get -> GetUsersMessage. A
//     name taken by an earlier operation (in path, then method order) gets 2,
//     3, ... appended.
//   - Requirements. OpenAPI: each security requirement object of an operation
//     is one alternative whose scopes are all needed; schemes that are not
//     OAuth 2.0 or OpenID Connect are left out, and an operation without a
//     scope-bearing requirement needs no scope. Discovery: each scope listed
//     on a method is an alternative on its own.
//   - Capabilities. An operation belongs to a resource (a Discovery resource,
//     or an OpenAPI path segment that is neither a parameter nor a version,
//     cut at its first dot or colon) and reads (GET) or writes (every other
//     method). The innermost resource whose name maps to a vocabulary object
//     decides the capability <object>.read or <object>.write. A resource maps
//     to an object through Options.Resources, then through a short table of
//     synonyms (chat -> message, conversations -> channel, people -> contact,
//     organizations -> company, repos -> repository, calendars -> event,
//     sheets -> spreadsheet), then by its singular form (files -> file).
//     Without such a resource, the placeholder <resource>.read or
//     <resource>.write, after the innermost resource, stands in for it.
//   - A capability's requirement is every alternative, taken from its
//     operations' alternatives, that satisfies all of its operations; an
//     operation whose own alternatives differ says so with accepts. When no
//     alternative satisfies them all, each alternative is widened with the
//     scopes of the operations it misses, and the capability is marked DECIDE.
//   - Types. A named schema that is an object with properties becomes a type
//     of its name; an anonymous object becomes a type named after where it
//     is: ListContactsResponse, ContactAddress, or ...Item for the elements
//     of an array. Other schemas become string, integer, number, boolean,
//     time (format date-time), []T or map[string]T, and any when the schema
//     is a union or says nothing.
package importer

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/capgen/capgen/internal/spec"
)

// Options says how to read a description and what to draft.
type Options struct {
	// Name is the provider name; it is derived from the title when empty.
	Name string
	// BaseURL replaces the base URL the description gives.
	BaseURL string
	// ScopeSeparator is written as auth.oauth2.scope_separator; a space
	// when empty.
	ScopeSeparator string
	// AlternativesInOneRequirement reads the scopes of one OpenAPI security
	// requirement object as alternatives, one scope each, instead of scopes
	// that are all needed. Slack's description needs it.
	AlternativesInOneRequirement bool
	// NoScope names a scope that the description uses to say that no scope
	// is needed (Slack's "none"); it is read as an empty alternative.
	NoScope string
	// Resources maps resource names to vocabulary objects, ahead of the
	// built-in rule: {"messages": "mail"}.
	Resources map[string]string
	// Vocabulary is the capability names a provider may use.
	Vocabulary []string
	// Source is the description's file name, quoted in the draft's header.
	Source string
}

// Draft is a provider spec drafted from a description.
type Draft struct {
	// YAML is the spec, ready to be written.
	YAML []byte
	// BaseURL is the spec's base_url; operation paths are relative to it.
	BaseURL string
	// Operations is every operation read, sorted by name, including those
	// written commented out.
	Operations []Operation
}

// Operation is one API operation as the draft reads it.
type Operation struct {
	Name   string
	Method string
	// Path is relative to the draft's BaseURL.
	Path string
	// Accepts lists the scope alternatives of the operation, each sorted;
	// fewer scopes come first, then in lexical order.
	Accepts [][]string
	// Capability is the capability suggested for the operation; when it is
	// not in the vocabulary, the operation is written commented out.
	Capability string
	// Live reports whether the operation is written as YAML rather than
	// commented out.
	Live bool
}

// api is a description read into the neutral form the draft is built from.
type api struct {
	format  string
	title   string
	docs    string
	baseURL string
	auth    *oauth2URLs
	// scopes holds the declared scopes and their descriptions.
	scopes map[string]string
	ops    []*operation
	// notes are DECIDE remarks on the whole file.
	notes []string
	types *typeBuilder
}

type oauth2URLs struct {
	authorize, token string
}

type operation struct {
	name      string
	method    string
	path      string
	summary   string
	resources []string
	params    []param
	request   *schema
	response  *schema
	accepts   [][]string
	notes     []string

	// Set once the operation is named and grouped.
	requestType, responseType string
	capability                string
	live                      bool
}

type param struct {
	name, in, typ, description string
	required                   bool
}

var providerName = regexp.MustCompile(`^[a-z][a-z0-9]*$`)

// build turns a read description into the draft.
func build(a *api, opts Options) (*Draft, error) {
	if opts.Name == "" {
		opts.Name = nameFromTitle(a.title)
	}
	if !providerName.MatchString(opts.Name) {
		return nil, fmt.Errorf("provider name %q must be lower-case letters and digits "+
			"(set -name)", opts.Name)
	}
	nameOperations(a.ops)
	groups := groupOperations(a.ops, newVocabulary(opts.Vocabulary, opts.Resources))
	a.types.names.claimAll(spec.ReservedGoNames())
	for _, g := range groups {
		a.types.names.claim(exported(g.capability))
	}
	for _, op := range a.ops {
		a.types.names.claim(op.name + "Params")
	}
	a.types.reserveSchemaNames()
	resolveBodies(a)

	d := &Draft{YAML: render(a, groups, opts), BaseURL: a.baseURL}
	for _, op := range a.ops {
		d.Operations = append(d.Operations, Operation{Name: op.name, Method: op.method,
			Path: op.path, Accepts: op.accepts, Capability: op.capability, Live: op.live})
	}
	slices.SortFunc(d.Operations, func(x, y Operation) int {
		return strings.Compare(x.Name, y.Name)
	})
	return d, nil
}

// resolveBodies turns every operation's request and response schemas into
// type expressions, in operation name order so that generated type names
// do not depend on map order.
func resolveBodies(a *api) {
	ops := slices.Clone(a.ops)
	slices.SortFunc(ops, func(x, y *operation) int { return strings.Compare(x.name, y.name) })
	for _, op := range ops {
		if op.request != nil {
			op.requestType = a.types.expr(op.request, op.name+"Request")
		}
		if op.response != nil {
			op.responseType = a.types.expr(op.response, op.name+"Response")
		}
	}
}

// genericTitleWords are left out of a provider name derived from a title.
var genericTitleWords = map[string]bool{"api": true, "apis": true, "rest": true, "web": true,
	"http": true, "openapi": true, "service": true, "the": true, "v1": true, "v2": true, "v3": true}

// nameFromTitle derives a provider name: the title's words in lower case,
// without generic words such as API: "Slack Web API" -> slack.
func nameFromTitle(title string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(strings.ToLower(title), notAlnum) {
		if !genericTitleWords[w] {
			b.WriteString(w)
		}
	}
	name := b.String()
	switch {
	case name == "":
		return "provider"
	case name[0] >= '0' && name[0] <= '9':
		return "api" + name
	}
	return name
}

func notAlnum(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
}
