package xmlrpc

import (
	"reflect"
	"strings"
	"sync"
)

// field is one struct field as XML-RPC sees it.
type field struct {
	name      string // member name
	index     int    // reflect field index
	omitEmpty bool
	// fast is reflect.String or reflect.Int for a plain string or signed
	// integer field the encoder writes without asking reflect more.
	fast reflect.Kind
}

var fieldCache sync.Map // reflect.Type -> []field

// fieldsOf returns the XML-RPC members of struct type t, in declaration
// order. A field's member name is taken from its `xmlrpc:"name"` tag,
// else it is the Go field name; `xmlrpc:"-"` skips the field and
// `xmlrpc:"name,omitempty"` leaves a zero field out when encoding.
// Unexported and embedded fields without a tag are skipped.
func fieldsOf(t reflect.Type) []field {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]field)
	}
	var fs []field
	for i := range t.NumField() {
		sf := t.Field(i)
		tag, hasTag := sf.Tag.Lookup("xmlrpc")
		if !sf.IsExported() || sf.Anonymous && !hasTag || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = sf.Name
		}
		fs = append(fs, field{name: name, index: i, omitEmpty: opts == "omitempty", fast: fastKind(sf.Type)})
	}
	fieldCache.Store(t, fs)
	return fs
}

// fastKind classifies a field type for the encoder's fast path.
func fastKind(t reflect.Type) reflect.Kind {
	if maybeSpecial(t) {
		return reflect.Invalid
	}
	switch t.Kind() {
	case reflect.String:
		return reflect.String
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return reflect.Int
	}
	return reflect.Invalid
}
