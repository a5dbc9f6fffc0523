package io.jwip.examples;

import io.jwip.examples.cli.Command;

import java.util.List;

/** The registry of commands, in the order {@code --help} lists them. */
final class Commands {
    private Commands() {}

    static List<Command> all() {
        return List.of(new DemoCommand(), new TransferCommand(), new ServeCommand(), new GatewayCommand(), new PingCommand(), new ConnectCommand(), new ResolveCommand(), new BudgetCommand());
    }
}
