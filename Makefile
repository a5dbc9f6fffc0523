# jwip: the commands a person types. Every target is documented in README.md.
MVN      ?= mvn -B -ntp
JAVA     ?= java
JAR      := examples/target/jwip.jar

.PHONY: all build test run bench clean tools help

help:
	@echo "make build   compile every module and build $(JAR) (no tests)"
	@echo "make test    check/install host tools, then run every test of every module"
	@echo "make run     build and run the demo (java -jar $(JAR) demo)"
	@echo "make clean   remove build output"

all: build

build:
	$(MVN) -q -DskipTests package

tools:
	@bash tests/tools/ensure-tools.sh --install

test: tools
	$(MVN) verify

run: build
	$(JAVA) -jar $(JAR) demo

clean:
	$(MVN) -q clean
