namespace Arq;

/// <summary>
/// What a job wrote besides its result (warnings, verbose, debug, information and non-terminating errors), kept with
/// its result for as long: a PowerShell actor's streams, or what a .NET actor writes through
/// <see cref="Worker.JobContext.WriteStream(JobStream, string)"/>. Python arq does not know them; its results are
/// unchanged.
/// </summary>
/// <param name="Records">The records, in the order written, up to the worker's <see cref="Worker.ArqWorkerOptions.MaxStreamBytes"/>.</param>
/// <param name="Dropped">How many records were left out past that limit.</param>
public sealed record JobStreams(IReadOnlyList<JobStreamRecord> Records, long Dropped);
