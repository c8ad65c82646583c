# Example actors: replace with your own. Every class is an actor (ClassName.MethodName), every function a job function.
function Get-Greeting([string] $Name) { "Hello, $Name!" }
