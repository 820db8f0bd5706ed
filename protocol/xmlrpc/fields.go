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
		fs = append(fs, field{name: name, index: i, omitEmpty: opts == "omitempty"})
	}
	fieldCache.Store(t, fs)
	return fs
}
