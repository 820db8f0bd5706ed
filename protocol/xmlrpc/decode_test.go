package xmlrpc

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func response(value string) string {
	return "<?xml version='1.0'?><methodResponse><params><param>" + value +
		"</param></params></methodResponse>"
}

func TestDecodeValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, xml string
		want      Value
	}{
		{"untyped text", "<value> a b </value>", String(" a b ")},
		{"empty untyped", "<value></value>", String("")},
		{"self-closing value", "<value/>", String("")},
		{"empty string", "<value><string/></value>", String("")},
		{"space around typed", "<value>\n  <int>7</int>\n</value>", Int(7)},
		{"i4", "<value><i4>-3</i4></value>", Int(-3)},
		{"i8", "<value><i8>9007199254740993</i8></value>", Int(9007199254740993)},
		{"int plus sign and space", "<value><int> +42 </int></value>", Int(42)},
		{"boolean 1", "<value><boolean>1</boolean></value>", Bool(true)},
		{"boolean false", "<value><boolean>false</boolean></value>", Bool(false)},
		{"double", "<value><double>-1.25e3</double></value>", Double(-1250)},
		{"double overflow", "<value><double>1e400</double></value>", Double(math.Inf(1))},
		{"dateTime python", "<value><dateTime.iso8601>20240102T03:04:05</dateTime.iso8601></value>",
			DateTime(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))},
		{"dateTime dashed", "<value><dateTime.iso8601>2024-01-02T03:04:05Z</dateTime.iso8601></value>",
			DateTime(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))},
		{"base64 lines", "<value><base64>\naGVs\nbG8=\n</base64></value>", Base64([]byte("hello"))},
		{"base64 unpadded", "<value><base64>aGVsbG8</base64></value>", Base64([]byte("hello"))},
		{"nil", "<value><nil/></value>", Nil()},
		{"namespaced nil", `<value><ex:nil xmlns:ex="http://ws.apache.org/xmlrpc/namespaces/extensions"/></value>`, Nil()},
		{"array without data", "<value><array><value>1</value><value><int>2</int></value></array></value>",
			Array(String("1"), Int(2))},
		{"empty array", "<value><array><data/></array></value>", Array()},
		{"member value first", "<value><struct><member><value><int>1</int></value><name>a</name></member></struct></value>",
			Struct(Member{"a", Int(1)})},
		{"entities and char refs", "<value>&lt;&amp;&gt;&quot;&apos;&#13;&#x1F389;</value>", String("<&>\"'\r🎉")},
		{"raw CR normalised", "<value>a\r\nb\rc</value>", String("a\nb\nc")},
		{"CDATA", "<value><string><![CDATA[<raw> & ]]]]><![CDATA[>]]></string></value>", String("<raw> & ]]>")},
		{"comment in text", "<value><string>a<!-- x -->b</string></value>", String("ab")},
		{"raw control chars", "<value>\x1b[0m\x00</value>", String("\uFFFD[0m\uFFFD")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := DecodeResponse(strings.NewReader(response(tt.xml)), Limits{})
			if err != nil {
				t.Fatalf("DecodeResponse(%s) error: %v", tt.xml, err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("DecodeResponse(%s) = %v; want %v", tt.xml, got, tt.want)
			}
		})
	}
}

func TestDecodeRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, xml  string
		wantMethod string
		wantParams []Value
	}{
		{"no params element", "<methodCall><methodName>supervisor.getPID</methodName></methodCall>",
			"supervisor.getPID", []Value{}},
		{"two params", "<?xml version='1.0'?>\n<methodCall>\n<methodName>supervisor.startProcess</methodName>\n" +
			"<params>\n<param>\n<value><string>web</string></value>\n</param>\n<param><value><boolean>0</boolean></value></param>\n</params>\n</methodCall>\n",
			"supervisor.startProcess", []Value{String("web"), Bool(false)}},
		{"comment and PI around root", "<!-- c --><methodCall><methodName>a.b</methodName><params/></methodCall><?pi x?>\n",
			"a.b", []Value{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			method, params, err := DecodeRequest(strings.NewReader(tt.xml), Limits{})
			if err != nil {
				t.Fatalf("DecodeRequest error: %v", err)
			}
			if method != tt.wantMethod || !Array(params...).Equal(Array(tt.wantParams...)) {
				t.Errorf("DecodeRequest = %q, %v; want %q, %v", method, params, tt.wantMethod, tt.wantParams)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, xml, want string
	}{
		{"empty body", "", "unexpected EOF"},
		{"not xml", "hello", "unexpected text"},
		{"wrong root", "<methodCall/>", "want <methodResponse>, got <methodCall>"},
		{"empty response", "<methodResponse/>", "empty methodResponse"},
		{"two params", "<methodResponse><params><param><value>a</value></param><param><value>b</value></param></params></methodResponse>",
			"want 1 response param, got 2"},
		{"no params", "<methodResponse><params/></methodResponse>", "want 1 response param, got 0"},
		{"unknown type", response("<value><float>1</float></value>"), "unknown type <float>"},
		{"bad int", response("<value><int>1.5</int></value>"), `<int>: bad integer "1.5"`},
		{"int overflow", response("<value><i8>9223372036854775808</i8></value>"), "bad integer"},
		{"bad boolean", response("<value><boolean>yes</boolean></value>"), `bad boolean "yes"`},
		{"bad double", response("<value><double>x</double></value>"), "bad double"},
		{"bad date", response("<value><dateTime.iso8601>yesterday</dateTime.iso8601></value>"), "bad dateTime"},
		{"bad base64", response("<value><base64>!!!</base64></value>"), "bad base64"},
		{"mixed content", response("<value>x<int>1</int></value>"), "mixed text and element"},
		{"element in string", response("<value><string>a<b/></string></value>"), "unexpected <b> in <string>"},
		{"two typed", response("<value><int>1</int><int>2</int></value>"), "unexpected <int> in <value>"},
		{"member without value", response("<value><struct><member><name>a</name></member></struct></value>"),
			`member "a": want <name> and <value>`},
		{"member twice named", response("<value><struct><member><name>a</name><name>b</name></member></struct></value>"),
			"unexpected <name> in <member>"},
		{"junk in struct", response("<value><struct><x/></struct></value>"), "unexpected <x> in <struct>"},
		{"junk in array", response("<value><array><data><x/></data></array></value>"), "unexpected <x> in <data>"},
		{"unclosed", "<methodResponse><params>", "unexpected EOF"},
		{"mismatched tags", response("<value><int>1</value></int>"), "syntax error"},
		{"trailing element", response("<value>1</value>") + "<x/>", "trailing data"},
		{"trailing text", response("<value>1</value>") + "x", "trailing text"},
		{"doctype", "<!DOCTYPE methodResponse><methodResponse/>", "unexpected <!DOCTYPE>"},
		{"custom entity", response("<value>&lol;</value>"), "invalid character entity &lol;"},
		{"invalid char ref", response("<value>&#1;</value>"), "illegal character code U+0001"},
		{"invalid UTF-8", response("<value>\xff</value>"), "invalid UTF-8"},
		{"fault without code", "<methodResponse><fault><value><struct></struct></value></fault></methodResponse>",
			"malformed fault"},
		{"fault string not string", "<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>1</int></value></member>" +
			"<member><name>faultString</name><value><int>2</int></value></member></struct></value></fault></methodResponse>", "malformed fault"},
		{"latin-1", `<?xml version="1.0" encoding="ISO-8859-1"?><methodResponse/>`, "ISO-8859-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := DecodeResponse(strings.NewReader(tt.xml), Limits{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("DecodeResponse(%q) error = %v; want it to contain %q", tt.xml, err, tt.want)
			}
			var f *Fault
			if errors.As(err, &f) {
				t.Errorf("DecodeResponse(%q) returned fault %v for a malformed body", tt.xml, f)
			}
		})
	}
}

func TestDecodeRequestErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, xml, want string
	}{
		{"no method name", "<methodCall><params/></methodCall>", "missing method name"},
		{"empty method name", "<methodCall><methodName></methodName></methodCall>", "missing method name"},
		{"response instead", "<methodResponse/>", "want <methodCall>"},
		{"junk param", "<methodCall><methodName>a.b</methodName><params><x/></params></methodCall>", "unexpected <x> in <params>"},
		{"bad value", "<methodCall><methodName>a.b</methodName><params><param><value><int>x</int></value></param></params></methodCall>",
			"param 0: <int>: bad integer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := DecodeRequest(strings.NewReader(tt.xml), Limits{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("DecodeRequest(%q) error = %v; want it to contain %q", tt.xml, err, tt.want)
			}
		})
	}
}

func TestDecodeFault(t *testing.T) {
	t.Parallel()
	body := "<methodResponse><fault><value><struct>" +
		"<member><name>faultString</name><value>NOT_RUNNING: web</value></member>" +
		"<member><name>extra</name><value><int>1</int></value></member>" +
		"<member><name>faultCode</name><value><i4>70</i4></value></member>" +
		"</struct></value></fault></methodResponse>"
	_, err := DecodeResponse(strings.NewReader(body), Limits{})
	if !errors.Is(err, ErrNotRunning) || errors.Is(err, ErrBadName) {
		t.Fatalf("DecodeResponse error = %v; want a NOT_RUNNING fault", err)
	}
	if f, ok := err.(*Fault); !ok || *f != (Fault{Code: 70, String: "NOT_RUNNING: web"}) {
		t.Errorf("DecodeResponse error = %#v; want *Fault{70, NOT_RUNNING: web}", err)
	}
}
