package xmlrpc

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"time"
)

// Marshaler is implemented by types that encode themselves as a Value, such
// as [Fault] and [Tail].
type Marshaler interface {
	MarshalXMLRPC() (Value, error)
}

// maxMarshalDepth stops Marshal on cyclic data.
const maxMarshalDepth = 1000

var (
	valueType     = reflect.TypeFor[Value]()
	timeType      = reflect.TypeFor[time.Time]()
	marshalerType = reflect.TypeFor[Marshaler]()
)

// Marshal converts a Go value to a [Value]:
//
//   - Value as is; a [Marshaler] through its method;
//   - bool to boolean; signed and unsigned integers to int (i8 beyond 32
//     bits); float32 and float64 to double; string to string;
//   - time.Time to dateTime.iso8601 (see [DateTime]); []byte to base64;
//   - slices and arrays to arrays (a nil slice is an empty array);
//   - maps with string keys to structs, with members sorted by key;
//   - structs to structs, with members in field order named by their
//     `xmlrpc` tags (see [Unmarshal]);
//   - pointers and interfaces to what they point to.
//
// A nil pointer or interface is an error: XML-RPC has no null, and
// supervisord refuses <nil/>; pass [Nil] to send one deliberately.
func Marshal(v any) (Value, error) {
	val, err := marshal(reflect.ValueOf(v), 0)
	if err != nil {
		return Value{}, fmt.Errorf("marshal: %w", err)
	}
	return val, nil
}

func marshal(rv reflect.Value, depth int) (Value, error) {
	if depth > maxMarshalDepth {
		return Value{}, fmt.Errorf("nesting deeper than %d (cyclic data?)", maxMarshalDepth)
	}
	if !rv.IsValid() {
		return Value{}, errors.New("nil value (use xmlrpc.Nil to send <nil/>)")
	}
	if v, ok, err := marshalSpecial(rv); ok {
		return v, err
	}
	switch rv.Kind() {
	case reflect.Bool:
		return Bool(rv.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return Int(rv.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if rv.Uint() > math.MaxInt64 {
			return Value{}, fmt.Errorf("%d overflows int64", rv.Uint())
		}
		return Int(int64(rv.Uint())), nil
	case reflect.Float32, reflect.Float64:
		return Double(rv.Float()), nil
	case reflect.String:
		return String(rv.String()), nil
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return Value{}, fmt.Errorf("nil %s (use xmlrpc.Nil to send <nil/>)", rv.Type())
		}
		return marshal(rv.Elem(), depth+1)
	case reflect.Slice, reflect.Array:
		return marshalArray(rv, depth)
	case reflect.Map:
		return marshalMap(rv, depth)
	case reflect.Struct:
		return marshalStruct(rv, depth)
	}
	return Value{}, fmt.Errorf("unsupported type %s", rv.Type())
}

// marshalSpecial handles the types that are not encoded by kind.
func marshalSpecial(rv reflect.Value) (Value, bool, error) {
	switch t := rv.Type(); {
	case t == valueType:
		v, _ := reflect.TypeAssert[Value](rv)
		if v.Kind() == KindInvalid {
			return Value{}, true, errors.New("invalid (zero) Value")
		}
		return v, true, nil
	case t == timeType:
		tm, _ := reflect.TypeAssert[time.Time](rv)
		return DateTime(tm), true, nil
	case t.Implements(marshalerType):
		if rv.Kind() == reflect.Pointer && rv.IsNil() {
			return Value{}, true, fmt.Errorf("nil %s", t)
		}
		m, _ := reflect.TypeAssert[Marshaler](rv)
		v, err := m.MarshalXMLRPC()
		return v, true, err
	case rv.CanAddr() && reflect.PointerTo(t).Implements(marshalerType):
		m, _ := reflect.TypeAssert[Marshaler](rv.Addr())
		v, err := m.MarshalXMLRPC()
		return v, true, err
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		return Base64(slices.Clone(rv.Bytes())), true, nil
	}
	return Value{}, false, nil
}

func marshalArray(rv reflect.Value, depth int) (Value, error) {
	vs := make([]Value, rv.Len())
	for i := range vs {
		v, err := marshal(rv.Index(i), depth+1)
		if err != nil {
			return Value{}, fmt.Errorf("[%d]: %w", i, err)
		}
		vs[i] = v
	}
	return Array(vs...), nil
}

func marshalMap(rv reflect.Value, depth int) (Value, error) {
	if rv.Type().Key().Kind() != reflect.String {
		return Value{}, fmt.Errorf("unsupported map key type %s", rv.Type().Key())
	}
	keys := rv.MapKeys()
	slices.SortFunc(keys, func(a, b reflect.Value) int { return cmp.Compare(a.String(), b.String()) })
	ms := make([]Member, len(keys))
	for i, k := range keys {
		v, err := marshal(rv.MapIndex(k), depth+1)
		if err != nil {
			return Value{}, fmt.Errorf("member %q: %w", k.String(), err)
		}
		ms[i] = Member{k.String(), v}
	}
	return Struct(ms...), nil
}

func marshalStruct(rv reflect.Value, depth int) (Value, error) {
	fs := fieldsOf(rv.Type())
	ms := make([]Member, 0, len(fs))
	for _, f := range fs {
		fv := rv.Field(f.index)
		if f.omitEmpty && fv.IsZero() {
			continue
		}
		v, err := marshal(fv, depth+1)
		if err != nil {
			return Value{}, fmt.Errorf("field %q: %w", f.name, err)
		}
		ms = append(ms, Member{f.name, v})
	}
	return Struct(ms...), nil
}
