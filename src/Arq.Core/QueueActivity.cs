namespace Arq;

/// <summary>A queue now, with how fast Arq workers completed and failed its jobs since the previous look.</summary>
/// <param name="Info">What the queue holds now.</param>
/// <param name="CompletePerSecond">Jobs completed per second since the previous look (0 on the first).</param>
/// <param name="FailedPerSecond">Jobs failed for good per second since the previous look (0 on the first).</param>
public sealed record QueueActivity(QueueInfo Info, double CompletePerSecond, double FailedPerSecond);
