// Package model is the validated, resolved form of a capgen catalogue: what
// the generator and the other tools consume. It knows nothing of YAML; every
// list is in a stable order (by name, or declaration order where order means
// something), so that output built from it is deterministic.
package model

// Catalog is a capability vocabulary and the providers that map it to scopes.
type Catalog struct {
	Vocabulary []VocabularyEntry
	Providers  []*Provider
}

// VocabularyEntry is one capability of the shared vocabulary.
type VocabularyEntry struct {
	Name        string
	Description string
}

// Provider is one provider spec, resolved.
type Provider struct {
	Name    string
	Title   string
	Docs    string
	BaseURL string
	// Source is the spec file's path, with forward slashes, as it was given.
	Source        string
	Auth          *OAuth2
	GrantedScopes GrantedScopes
	Scopes        []Scope
	Capabilities  []Capability
	Errors        []ErrorRule
	Operations    []Operation
	Types         []Type
}

// OAuth2 is how a provider is asked for authorization. URLs and parameter
// values may hold {placeholders}, filled in per connection.
type OAuth2 struct {
	AuthorizeURL string
	TokenURL     string
	// RefreshURL is where refresh requests go: TokenURL unless the provider
	// has a separate endpoint.
	RefreshURL    string
	RevokeURL     string
	IntrospectURL string
	// PlaceholderDefaults are the values of placeholders that a connection
	// may leave out (Name is the placeholder without braces).
	PlaceholderDefaults []Param
	ScopeParam          string
	ScopeSeparator      string
	// DefaultScopes are asked for in every authorization request, whatever
	// the capabilities need (offline_access, openid).
	DefaultScopes []string
	Params        []Param
	// ParamNames maps a standard authorization parameter (Name: client_id,
	// redirect_uri, response_type or state) to the name the provider expects
	// instead (Value); an empty Value leaves the parameter out.
	ParamNames []Param
	// OmitEmpty leaves out authorization parameters whose value is empty,
	// the scope parameter included.
	OmitEmpty bool
	// Nonce sends a fresh random nonce parameter with every authorization
	// request.
	Nonce            bool
	ExtraScopeParams []ExtraScopeParam
	// CodeParam is the callback query parameter that holds the
	// authorization code.
	CodeParam  string
	PKCE       string
	ClientAuth string
	// TokenRequestFormat is how token and refresh request bodies are
	// encoded: form or json.
	TokenRequestFormat string
	// TokenParams are fixed parameters of the code exchange and
	// RefreshParams those of a refresh request.
	TokenParams   []Param
	RefreshParams []Param
	Incremental   bool
	// TokenHeader is the header API calls carry the bare access token in,
	// when the provider does not take Authorization: Bearer (Shopify).
	TokenHeader string
}

// Param is a fixed authorization request parameter.
type Param struct {
	Name, Value string
}

// ExtraScopeParam is a parameter that carries scopes besides the main one.
type ExtraScopeParam struct {
	Param     string
	Role      string
	Separator string
}

// GrantedScopes says where the scopes a connection really got can be read.
type GrantedScopes struct {
	Compressed bool
	Sources    []ScopeSource
}

// ScopeSource is one place where granted scopes can be read.
type ScopeSource struct {
	From      string
	Field     string
	Header    string
	URL       string
	Claim     string
	Array     bool
	Separator string
	// Method and Param say how an introspection endpoint is called: POST
	// (RFC 7662) or GET, and where the token goes.
	Method string
	Param  string
}

// Scope is one provider scope.
type Scope struct {
	Name        string
	Description string
	Implies     []string
	Deprecated  *Deprecation
	User        bool
}

// Deprecation says a scope is on its way out and what replaces it.
type Deprecation struct {
	Since      string
	ReplacedBy []string
	Note       string
}

// Requirement is a list of scope alternatives; each alternative is a sorted
// list of scopes that are all needed.
type Requirement [][]string

// Capability is a vocabulary capability as one provider satisfies it.
type Capability struct {
	Name        string
	Description string
	Requirement Requirement
}

// ErrorRule classifies a failed response.
type ErrorRule struct {
	Kind       string
	Status     []int
	Header     []Predicate
	Body       []Predicate
	Missing    *MissingScopes
	RetryAfter string
}

// Predicate tests a header (Header) or a JSON body path (Path).
type Predicate struct {
	Header string
	Path   string
	Test   string
	Values []string
}

// MissingScopes says where a response names the scopes that were missing.
type MissingScopes struct {
	Body      string
	Header    string
	Pattern   string
	Separator string
	AnyOf     bool
}

// Operation is one API call.
type Operation struct {
	Name       string
	Summary    string
	Method     string
	Path       string
	Capability string
	// Requirement is what the provider accepts for this call: the spec's
	// accepts when given, otherwise the capability's requirement.
	Requirement Requirement
	Probe       bool
	Params      []OperationParam
	Request     *TypeRef
	Response    *TypeRef
}

// OperationParam is a path or query parameter.
type OperationParam struct {
	Name        string
	In          string
	Type        TypeRef
	Required    bool
	Description string
}

// TypeKind says what a TypeRef is.
type TypeKind int

// The kinds of type reference.
const (
	Builtin TypeKind = iota
	Named
	List
	MapOf
)

// TypeRef is a type expression: a builtin (string, integer, number, boolean,
// time, any), a declared type, a list or a map with string keys.
type TypeRef struct {
	Kind TypeKind
	Name string   // builtin or declared type name
	Elem *TypeRef // element of a list or a map
}

// String writes the type expression as a spec writes it, which is also the
// Go it becomes for lists and maps: []Contact, map[string]string.
func (t TypeRef) String() string {
	switch t.Kind {
	case List:
		return "[]" + t.Elem.String()
	case MapOf:
		return "map[string]" + t.Elem.String()
	}
	return t.Name
}

// Type is a declared request or response object.
type Type struct {
	Name        string
	Description string
	Fields      []Field
}

// Field is one field of a Type, in declaration order.
type Field struct {
	JSONName    string
	GoName      string
	Type        TypeRef
	Description string
	Required    bool
}

// Capability returns the provider's capability of that name.
func (p *Provider) Capability(name string) (Capability, bool) {
	for _, c := range p.Capabilities {
		if c.Name == name {
			return c, true
		}
	}
	return Capability{}, false
}

// Scope returns the provider's scope of that name.
func (p *Provider) Scope(name string) (Scope, bool) {
	for _, s := range p.Scopes {
		if s.Name == name {
			return s, true
		}
	}
	return Scope{}, false
}

// OperationsOf returns the operations carried by a capability's handle.
func (p *Provider) OperationsOf(capability string) []Operation {
	var ops []Operation
	for _, op := range p.Operations {
		if op.Capability == capability {
			ops = append(ops, op)
		}
	}
	return ops
}

// Config is a consumer's capgen.yaml, resolved: the product's features and
// where their code goes.
type Config struct {
	// Source is the config file's path, with forward slashes.
	Source string
	// Package is the Go package name of the output directory.
	Package string
	// Output is the output directory, relative to the config file's
	// directory unless absolute.
	Output   string
	Features []Feature
}

// Feature is a product's named bundle of capabilities.
type Feature struct {
	Name        string
	Description string
	Requires    []string
	Optional    []string
	// Providers are the providers the feature applies to, sorted.
	Providers []string
}

// FeaturesOf returns the features that apply to a provider.
func (c *Config) FeaturesOf(provider string) []Feature {
	var out []Feature
	for _, f := range c.Features {
		for _, p := range f.Providers {
			if p == provider {
				out = append(out, f)
			}
		}
	}
	return out
}
