module github.com/lancerhq/lancer

go 1.26
