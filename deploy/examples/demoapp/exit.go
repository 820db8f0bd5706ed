package main

import "os"

// exit ends the program; only the /crash page uses it, on purpose.
var exit = os.Exit
