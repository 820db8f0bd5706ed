module github.com/lancerhq/lancer

go 1.26

require (
	github.com/google/go-cmp v0.7.0
	github.com/spf13/pflag v1.0.10
	gopkg.in/ini.v1 v1.67.3
)
