namespace Arq;

/// <summary>A job found in a queue: its handle, where it is, and what it runs (null when its job key expired).</summary>
public sealed record QueuedJob(Job Job, JobStatus Status, JobDefinition? Definition);
