using System.Runtime.CompilerServices;

// The record log, recovery and index are tested directly, below the store ports.
[assembly: InternalsVisibleTo("AstraTrade.Infrastructure.IntegrationTests")]
