using TradeFinder.Gateway;

// The process entry point is the one place that owns the console (RS0030 bans it everywhere else).
#pragma warning disable RS0030
return await GatewayProgram.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
