// One client of `rwharness redis-stress`: the coordinator (RedisStress.RunCoordinator) starts
// N of these with `dotnet RwHarness.Locks.Redis.StressClient.dll <client arguments>`.
return RwHarness.Locks.Redis.Stress.RedisStress.RunClient(args, Console.Out, Console.In);
