namespace Arq;

/// <summary>A page of one listing of a queue's jobs: the jobs from <paramref name="Offset"/> on, and how many the listing
/// holds in all (<paramref name="Total"/>), for a pager.</summary>
public sealed record JobPage(JobListing Listing, long Offset, long Total, IReadOnlyList<QueuedJob> Jobs);
