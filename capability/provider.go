package capability

// ProviderSpec is the table a generated package hands to NewProvider. It is the
// exported, plain-data description of one provider; generated code fills it in
// and nothing should change it afterwards.
type ProviderSpec struct {
	Name          string // lower case; also the generated package's name
	Title         string // display name
	BaseURL       string // operation paths are appended to it
	Auth          OAuth2
	GrantedScopes GrantedScopes
	Scopes        []ScopeSpec
	Capabilities  []CapabilitySpec
	Operations    []OperationSpec
	Errors        []ErrorRule // tried in order on every response
}

// OAuth2 says how a provider is asked for authorization.
type OAuth2 struct {
	// AuthorizeURL and TokenURL may hold {placeholders} that a connection
	// fills in (Endpoint does), such as Shopify's {shop}.
	AuthorizeURL string
	TokenURL     string
	// RefreshURL is where refresh requests go when it is not TokenURL.
	RefreshURL    string
	RevokeURL     string
	IntrospectURL string
	// PlaceholderDefaults are values of placeholders a connection may leave
	// out, such as Microsoft's {tenant}: common.
	PlaceholderDefaults []Param
	ScopeParam          string
	ScopeSeparator      string
	// DefaultScopes are asked for in every authorization request, whatever
	// the capabilities need (offline_access, openid).
	DefaultScopes    []string
	Params           []Param
	ExtraScopeParams []ExtraScopeParam
	// TokenHeader is the header API calls carry the bare access token in,
	// when the provider does not take Authorization: Bearer (Shopify's
	// X-Shopify-Access-Token).
	TokenHeader string
	// Nonce sends a fresh random nonce with every authorization request.
	Nonce bool
	// OmitEmpty leaves out the scope parameter when no scope is asked for.
	OmitEmpty bool
	// TokenParams are fixed parameters of the code exchange.
	TokenParams []Param
	PKCE        PKCE
	ClientAuth  ClientAuth
	// Incremental is true when the provider adds newly granted scopes to
	// those a connection already holds (Google's include_granted_scopes), so
	// a later request may ask for the missing scopes only.
	Incremental bool
}

// Param is one fixed authorization request parameter.
type Param struct {
	Name, Value string
}

// ExtraScopeParam is a request parameter that carries scopes besides the main
// scope parameter, such as Slack's user_scope or HubSpot's optional_scope.
type ExtraScopeParam struct {
	Param     string
	Role      string // "optional" or "user"
	Separator string
}

// PKCE says whether a provider supports Proof Key for Code Exchange.
type PKCE string

// The PKCE levels.
const (
	PKCEUnsupported PKCE = "unsupported"
	PKCESupported   PKCE = "supported"
	PKCERequired    PKCE = "required"
)

// ClientAuth says how the client secret reaches the token endpoint.
type ClientAuth string

// The client authentication styles.
const (
	ClientAuthBody  ClientAuth = "body"
	ClientAuthBasic ClientAuth = "basic"
)

// GrantedScopes says where the scopes a connection really got can be read.
type GrantedScopes struct {
	// Compressed is true when the provider leaves out scopes implied by
	// others, so a granted list must be expanded before it is checked.
	Compressed bool
	Sources    []ScopeSource
}

// ScopeSource is one place where granted scopes can be read. ReadGrant
// tries a provider's sources in order.
type ScopeSource struct {
	From SourceKind

	// Field is the token response or introspection response field; dots
	// reach into nested objects, and in an introspection response "*"
	// stands for every element of an array. Introspection defaults to
	// "scope", as RFC 7662 names it.
	Field string

	Header string // response header, read on every API response
	URL    string // introspection endpoint
	Claim  string // JWT access token claim; dots reach into nested objects

	// Method is how the introspection endpoint is called. POST, the
	// default, is RFC 7662: a form whose Param field holds the token, with
	// the client credentials the caller gives. GET puts the token in the
	// URL's {token} placeholder when it has one, else in the query
	// parameter Param when that is set, else in a Bearer Authorization
	// header; it sends no client credentials.
	Method string

	// Param names the form field (POST, default "token") or the query
	// parameter (GET) that carries the token to the introspection endpoint.
	Param string

	Array     bool // the value is a JSON array rather than a delimited string
	Separator string
}

// SourceKind names a kind of granted-scope source.
type SourceKind string

// The granted-scope sources.
const (
	FromToken         SourceKind = "token"
	FromHeader        SourceKind = "header"
	FromIntrospection SourceKind = "introspection"
	FromJWT           SourceKind = "jwt"
)

// ScopeSpec describes one provider scope.
type ScopeSpec struct {
	Name        string
	Description string
	Implies     []string
	Deprecated  bool
	ReplacedBy  []string
	// User is true for a scope of the user token, which providers with two
	// tokens (Slack) take in a separate request parameter.
	User bool
}

// CapabilitySpec is a capability and the scope alternatives that satisfy it
// on one provider.
type CapabilitySpec struct {
	Name        string
	Description string
	Requirement Requirement
}

// OperationSpec describes one API call.
type OperationSpec struct {
	Name       string
	Method     string // GET when empty
	Path       string // below the base URL, with {name} for each path parameter
	Capability string
	// Requirement is what the provider accepts for this call. Every
	// alternative of the capability's requirement satisfies it.
	Requirement Requirement
	Probe       bool
}

// ErrorRule classifies a response. Rules are tried in order and the first
// whose predicates all hold wins.
type ErrorRule struct {
	Kind       Kind
	Status     []int          // the HTTP statuses it applies to; any when empty
	Header     []Predicate    // all must hold
	Body       []Predicate    // all must hold
	Missing    *MissingScopes // where the response names the missing scopes
	RetryAfter string         // the header holding seconds or an HTTP date
}

// Predicate tests one response header (Header) or one JSON body path (Path).
// A body path is a dot-separated list of object keys and array indexes, and
// "*" stands for every element of an array. A header or path that holds
// several values satisfies the predicate when any of them does.
type Predicate struct {
	Header string
	Path   string
	Test   Test
	Values []string
}

// Test names what a predicate checks.
type Test string

// The predicate tests. Equals, In, Contains and Matches compare the text of
// the value; a body path with a "*" segment matches when any element does.
const (
	TestEquals   Test = "equals"
	TestIn       Test = "in"
	TestContains Test = "contains"
	TestMatches  Test = "matches"
	TestPresent  Test = "present"
	TestAbsent   Test = "absent"
)

// MissingScopes says where a response names the scopes that were missing.
// Names come from the Body path and the Header, both when both are set. A
// JSON array gives one name per element.
type MissingScopes struct {
	Body   string // a body path, as in Predicate
	Header string // a response header

	// Pattern is a regular expression applied to each value; its first
	// group, or the whole match when it has none, holds the names.
	Pattern string

	// Separator splits a value into names. Headers default to ",", body
	// strings are not split unless it is set. " " splits on any whitespace.
	Separator string

	AnyOf bool // the names are alternatives: any one would do
}
