// Command virtualmodem runs a virtual GSM modem on a pseudo-terminal.
package main

func main() {}
