# A script whose set-up fails halfway, inside a statement that goes on: the worker must not run half-initialised.
function Fine { 'fine' }
try { Get-Item '/no/such/settings.json' -ErrorAction Continue } finally { }
function Later { 'later' }
