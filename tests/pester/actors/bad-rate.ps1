# A function whose rate limit does not read: the worker must refuse to start, naming the file and line.
function Fetch { [ArqFunction(RateLimit = 'fast')] param() 1 }
