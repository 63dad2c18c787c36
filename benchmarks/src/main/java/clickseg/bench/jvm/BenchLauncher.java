package clickseg.bench.jvm;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of the {@code jvm-bench} Maven profile: Maven's exec plugin passes
 * {@code -Dbench.args="--limit 5 --threads 2"} as one argument, so this splits it at whitespace and
 * calls the named benchmark's main.
 *
 * <p>Usage: {@code BenchLauncher <class of clickseg.bench.jvm> ["<its arguments>"]}
 */
public final class BenchLauncher {
    private BenchLauncher() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: BenchLauncher <benchmark class> [\"<its arguments>\"]");
            System.exit(2);
        }
        String name = args[0].contains(".") ? args[0] : BenchLauncher.class.getPackageName() + "." + args[0];
        String[] rest = Arrays.stream(args, 1, args.length)
                .flatMap(a -> Arrays.stream(a.trim().split("\\s+")))
                .filter(a -> !a.isEmpty())
                .toArray(String[]::new);
        Method main = Class.forName(name).getMethod("main", String[].class);
        main.invoke(null, (Object) rest);
    }
}
