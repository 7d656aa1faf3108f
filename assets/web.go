package assets

import "embed"

// Web holds the web pages' files: web/static (served as is under
// /static/), web/templates (html/template files of the server-rendered
// pages).
//
//go:embed web
var Web embed.FS
