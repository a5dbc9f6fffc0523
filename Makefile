# jwip: the commands a person types. Every target is documented in README.md.
MVN      ?= mvn -B -ntp
JAVA     ?= java
JAR      := examples/target/jwip.jar

.PHONY: all build test run bench bench-tools clean tools help fuzz docs soak-tests

# make fuzz: seconds per target and which targets (coverage-guided, Jazzer).
FUZZ_SECONDS ?= 300
FUZZ_TARGETS ?= ip4 udp icmp slip tcp eth dhcp dns ppp

# make bench: which parts (jmh, budget, soak, tun, all, or a comma list) and where the report goes.
BENCH     ?= all
BENCH_OUT ?= tests/target/bench
BENCH_JAR := tests/target/jwip-bench.jar

# What the jar is built from: make run rebuilds only when one of these is newer than the jar.
JAR_SOURCES := pom.xml $(shell find core netif ports examples -type f \( -name '*.java' -o -name pom.xml -o -path '*/src/main/resources/*' \) -not -path '*/target/*' 2>/dev/null)

# make soak-tests: how many times in a row the real-peer suite runs, and which tests it is.
SOAK_RUNS  ?= 20
SOAK_TESTS ?= io.jwip.tests.reallink.**

help:
	@echo "make build   compile every module and build $(JAR) (no tests)"
	@echo "make test    check/install host tools, then run every test of every module"
	@echo "make run     build (only if a source changed) and run the demo (java -jar $(JAR) demo)"
	@echo "make docs    build every module's javadoc (warnings fail) and its sources and javadoc jars"
	@echo "make soak-tests  run the real-peer tests $(SOAK_RUNS) times in a row, stop at the first failure (root)"
	@echo "make bench   measure jwip on this machine (BENCH=jmh|budget|soak|tun|all); report in $(BENCH_OUT)/report.md"
	@echo "make fuzz    coverage-guided fuzzing of every input path (FUZZ_SECONDS=$(FUZZ_SECONDS) per target, FUZZ_TARGETS=...)"
	@echo "make clean   remove build output"

all: build

build:
	$(MVN) -q -DskipTests package

tools:
	@bash tests/tools/ensure-tools.sh --install

test: tools
	$(MVN) verify

$(JAR): $(JAR_SOURCES)
	$(MVN) -q -DskipTests package

run: $(JAR)
	$(JAVA) -jar $(JAR) demo

docs:
	$(MVN) -q -DskipTests package
	@for m in core netif ports examples tests; do echo "$$m: $$m/target/reports/apidocs/index.html, $$(ls $$m/target/*-sources.jar $$m/target/*-javadoc.jar | tr '\n' ' ')"; done

soak-tests: tools
	$(MVN) -q -DskipTests package
	bash tests/tools/soak-tests.sh $(SOAK_RUNS) '$(SOAK_TESTS)'

# The TUN part needs root and host tools; the others need only the JDK.
bench-tools:
	@case ",$(BENCH)," in *,all,*|*,tun,*) bash tests/tools/ensure-tools.sh --install --bench ;; esac

bench: bench-tools
	$(MVN) -q -Pbench -DskipTests package
	$(JAVA) -jar $(BENCH_JAR) --parts "$(BENCH)" --out $(BENCH_OUT) --jar $(JAR)

fuzz:
	$(MVN) -q -DskipTests install
	$(MVN) -q -pl core dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/fuzz.classpath
	bash tests/tools/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

clean:
	$(MVN) -q clean
