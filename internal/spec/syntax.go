package spec

// This file holds the syntax of the spec language: one struct per YAML
// mapping, with the keys it accepts in `spec` tags and what they mean in `doc`
// tags. The decoder reads these tags, so the structs are the language's single
// definition.

// vocabularyFile is capabilities.yaml.
type vocabularyFile struct {
	Capabilities Map[vocabularyEntry] `spec:"capabilities,required" doc:"capability name to its meaning"`
}

type vocabularyEntry struct {
	At          Pos
	Description String `spec:"description,required" doc:"what the capability lets a product do"`
}

// providerFile is providers/<name>.yaml.
type providerFile struct {
	At            Pos
	Provider      String               `spec:"provider,required" doc:"provider name; also the Go package name"`
	Title         String               `spec:"title" doc:"display name"`
	Docs          String               `spec:"docs" doc:"URL of the provider's scope documentation"`
	BaseURL       String               `spec:"base_url,required" doc:"API base URL"`
	Auth          *authSyntax          `spec:"auth" doc:"how to ask for authorization"`
	GrantedScopes *grantedSyntax       `spec:"granted_scopes" doc:"where granted scopes can be read"`
	Scopes        Map[scopeSyntax]     `spec:"scopes,required" doc:"every scope the file mentions"`
	Capabilities  Map[requirement]     `spec:"capabilities,required" doc:"scopes that satisfy each capability"`
	Errors        []errorRuleSyntax    `spec:"errors" doc:"ordered rules that classify failed responses"`
	Operations    Map[operationSyntax] `spec:"operations,required" doc:"API calls"`
	Types         Map[typeSyntax]      `spec:"types" doc:"request and response objects"`
}

type authSyntax struct {
	At     Pos
	OAuth2 *oauth2Syntax `spec:"oauth2,required" doc:"OAuth 2.0 authorization code flow"`
}

type oauth2Syntax struct {
	At               Pos
	AuthorizeURL     String             `spec:"authorize_url,required" doc:"authorization endpoint"`
	TokenURL         String             `spec:"token_url,required" doc:"token endpoint"`
	RefreshURL       String             `spec:"refresh_url" doc:"refresh endpoint; default token_url"`
	RevokeURL        String             `spec:"revoke_url" doc:"token revocation endpoint"`
	IntrospectURL    String             `spec:"introspect_url" doc:"token introspection endpoint"`
	Defaults         Map[String]        `spec:"placeholder_defaults" doc:"defaults of URL placeholders"`
	ScopeParam       String             `spec:"scope_param" doc:"request parameter holding scopes; default scope"`
	ScopeSeparator   String             `spec:"scope_separator" doc:"separator between scopes; default a space"`
	DefaultScopes    []String           `spec:"default_scopes" doc:"scopes asked for every time"`
	Params           Map[String]        `spec:"params" doc:"fixed parameters of every authorization request"`
	ParamNames       Map[String]        `spec:"param_names" doc:"provider names of standard parameters"`
	OmitEmpty        Bool               `spec:"omit_empty" doc:"omit authorization parameters left empty"`
	Nonce            Bool               `spec:"nonce" doc:"send a fresh random nonce each time"`
	ExtraScopeParams []extraScopeSyntax `spec:"extra_scope_params" doc:"other parameters that carry scopes"`
	CodeParam        String             `spec:"code_param" doc:"callback's code parameter; default code"`
	PKCE             String             `spec:"pkce" enum:"required supported unsupported" doc:"default unsupported"`
	ClientAuth       String             `spec:"client_auth" enum:"basic body" doc:"client secret; default body"`
	TokenFormat      String             `spec:"token_request_format" enum:"form json" doc:"default form"`
	TokenParams      Map[String]        `spec:"token_params" doc:"fixed parameters of the code exchange"`
	RefreshParams    Map[String]        `spec:"refresh_params" doc:"fixed parameters of a refresh request"`
	Incremental      Bool               `spec:"incremental" doc:"new grants add to earlier ones"`
	TokenHeader      String             `spec:"token_header" doc:"header for the bare token instead of Authorization"`
}

type extraScopeSyntax struct {
	At        Pos
	Param     String `spec:"param,required" doc:"parameter name"`
	Role      String `spec:"role,required" doc:"optional or user"`
	Separator String `spec:"separator" doc:"separator; default scope_separator"`
}

type grantedSyntax struct {
	At         Pos
	Compressed Bool                `spec:"compressed" doc:"the provider omits implied scopes"`
	Sources    []scopeSourceSyntax `spec:"sources" doc:"places to read granted scopes, in order"`
}

type scopeSourceSyntax struct {
	At        Pos
	From      String `spec:"from,required" doc:"token, header, introspection or jwt"`
	Field     String `spec:"field" doc:"token response or introspection field"`
	Header    String `spec:"header" doc:"response header"`
	URL       String `spec:"url" doc:"introspection endpoint"`
	Claim     String `spec:"claim" doc:"JWT claim"`
	Format    String `spec:"format" doc:"delimited (default) or array"`
	Separator String `spec:"separator" doc:"separator of a delimited list; default a space"`
	Method    String `spec:"method" doc:"introspection: post (RFC 7662, the default) or get"`
	Param     String `spec:"param" doc:"introspection: the form field or query parameter holding the token"`
}

type scopeSyntax struct {
	At          Pos
	Description String             `spec:"description" doc:"what the scope grants"`
	Implies     []String           `spec:"implies" doc:"scopes this one also grants"`
	Deprecated  *deprecationSyntax `spec:"deprecated" doc:"the scope is on its way out"`
	User        Bool               `spec:"user" doc:"a user-token scope, sent in the user scope parameter"`
}

type deprecationSyntax struct {
	At         Pos
	Since      String   `spec:"since" doc:"date of the deprecation"`
	ReplacedBy []String `spec:"replaced_by" doc:"scopes to use instead"`
	Note       String   `spec:"note" doc:"the provider's advice"`
}

// requirement is a capability's scope alternatives.
type requirement struct {
	At    Pos
	AnyOf [][]String `spec:"any_of,required" doc:"alternatives, each a list of scopes all needed"`
}

type errorRuleSyntax struct {
	At         Pos
	Kind       String            `spec:"kind,required" doc:"what the failure is; see errorKinds"`
	Status     []Int             `spec:"status" doc:"HTTP statuses the rule applies to"`
	Header     []predicateSyntax `spec:"header" doc:"predicates on response headers"`
	Body       []predicateSyntax `spec:"body" doc:"predicates on the JSON body"`
	Missing    *missingSyntax    `spec:"missing" doc:"where the missing scopes are named"`
	RetryAfter String            `spec:"retry_after" doc:"header with the seconds to wait"`
}

type predicateSyntax struct {
	At       Pos
	Name     String   `spec:"name" doc:"header name"`
	Path     String   `spec:"path" doc:"JSON body path"`
	Equals   String   `spec:"equals" doc:"the value's text equals this"`
	In       []String `spec:"in" doc:"the value's text is one of these"`
	Contains String   `spec:"contains" doc:"the value's text contains this"`
	Matches  String   `spec:"matches" doc:"the value's text matches this regular expression"`
	Present  Bool     `spec:"present" doc:"the value is present (true) or absent (false)"`
}

type missingSyntax struct {
	At        Pos
	Body      String `spec:"body" doc:"JSON body path of the names"`
	Header    String `spec:"header" doc:"header holding the names"`
	Pattern   String `spec:"pattern" doc:"regular expression whose first group holds the names"`
	Separator String `spec:"separator" doc:"separator between names"`
	AnyOf     Bool   `spec:"any_of" doc:"the names are alternatives"`
}

type operationSyntax struct {
	At         Pos
	Summary    String           `spec:"summary" doc:"one sentence for the method's doc comment"`
	Method     String           `spec:"method,required" doc:"GET, POST, PUT, PATCH or DELETE"`
	Path       String           `spec:"path,required" doc:"path below base_url with {param} placeholders"`
	Capability String           `spec:"capability,required" doc:"capability whose handle carries the method"`
	Accepts    [][]String       `spec:"accepts" doc:"scope alternatives the provider accepts for this call"`
	Probe      Bool             `spec:"probe" doc:"cheap call that proves the capability works"`
	Params     Map[paramSyntax] `spec:"params" doc:"path and query parameters"`
	Request    String           `spec:"request" doc:"type of the JSON request body"`
	Response   String           `spec:"response" doc:"type of the JSON response body"`
}

type paramSyntax struct {
	At          Pos
	In          String `spec:"in,required" doc:"path or query"`
	Type        String `spec:"type" doc:"string (default), integer, number, boolean or []string"`
	Required    Bool   `spec:"required" doc:"a query parameter that must be given"`
	Description String `spec:"description" doc:"what the parameter means"`
}

type typeSyntax struct {
	At          Pos
	Description String           `spec:"description" doc:"what the object is"`
	Fields      Map[fieldSyntax] `spec:"fields,required" doc:"JSON field name to field"`
}

type fieldSyntax struct {
	At          Pos
	Type        String `spec:"type,required" doc:"field type"`
	Description String `spec:"description" doc:"what the field holds"`
	Required    Bool   `spec:"required" doc:"always encoded, even when empty"`
	GoName      String `spec:"go_name" doc:"Go field name when the derived one will not do"`
}

func (f *fieldSyntax) fromScalar(s String) {
	f.At = s.Pos
	f.Type = s
}
