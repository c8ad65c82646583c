# A start-up hook that fails: the worker must stop with its error before it claims a job.
function Test-Share { [ArqHook('Startup')] param() throw 'the share \\files\reports is not mounted' }
function Fine { 'fine' }
