using TradeFinder.Gateway;

return await GatewayProgram.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
