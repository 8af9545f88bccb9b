// Package arch holds the tests of Parley's package structure: the
// layering the brief asks for (the store imports no domain package;
// models import only model, scenario, result and numeric) and the one
// run layer of issue 13 (only package run creates and writes stored
// runs). It has no code of its own.
package arch
