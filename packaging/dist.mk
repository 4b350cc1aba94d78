# packaging/dist.mk: `make dist`, the release artifacts under artifacts/dist/ (included from the
# Makefile, whose SHELL, .SHELLFLAGS and exported DOTNET_* settings it relies on).
#
#   meshedge-V-linux-x64          dynamic x86_64 binary (needs glibc >= 2.34 on the host)
#   meshedge-V-linux-x64-static   static-pie x86_64 binary for containers (no shared libraries)
#   meshedge-V-linux-arm64        dynamic aarch64 binary, cross-compiled
#   meshedge_V-R_amd64.deb, meshedge_V-R_arm64.deb, meshedge-V-R.x86_64.rpm, meshedge-V-R.aarch64.rpm
#   SHA256SUMS
#
# V comes from the VERSION file, R from DIST_RELEASE (the package revision, default 1). Each
# variant publishes with its own toolchain file (toolchains/<variant>.props) into its own
# --artifacts-path (artifacts/obj/<variant>), so none of them touches the obj/ and bin/ folders
# that `make build` and the IDE use; publish output and logs land in artifacts/publish/<variant>/
# (with meshedge.dbg, the split-off symbols). Safe under `make -j`, but on two cores three NativeAOT
# publishes at once are slower than one after another (144 s against 110 s from clean).

DIST_VERSION := $(shell tr -d ' \t\r\n' < VERSION)
DIST_RELEASE ?= 1
DIST_MAINTAINER ?= MeshEdge Maintainers <maintainers@meshedge.dev>
DIST_DIR := artifacts/dist
DIST_PUBLISH := artifacts/publish
DIST_OBJ := artifacts/obj
DIST_VARIANTS := linux-x64 linux-x64-static linux-arm64
DIST_PUBLISH_TARGETS := $(addprefix dist-publish-,$(DIST_VARIANTS))
# The runtime identifier of a variant: linux-x64-static is still linux-x64.
dist_rid = $(if $(filter linux-arm64,$(1)),linux-arm64,linux-x64)
DIST_DEB_VERSION := $(subst -,~,$(DIST_VERSION))-$(DIST_RELEASE)
DIST_RPM_VERSION := $(subst -,~,$(DIST_VERSION))-$(DIST_RELEASE)

.PHONY: dist dist-toolchains dist-binaries dist-packages dist-clean $(DIST_PUBLISH_TARGETS)

## dist: binaries (x64, x64 static, arm64), .deb and .rpm for amd64 and arm64, SHA256SUMS
dist: dist-packages
	@cd $(DIST_DIR) && sha256sum meshedge-$(DIST_VERSION)-linux-* meshedge_$(DIST_DEB_VERSION)_*.deb \
	    meshedge-$(DIST_RPM_VERSION).*.rpm > SHA256SUMS
	@echo "artifacts in $(DIST_DIR):" && ls -l $(DIST_DIR)

## dist-toolchains: install the cross toolchain and packaging tools that are missing (apt-get)
dist-toolchains:
	@toolchains/ensure-toolchain.sh all

# One NativeAOT publish per variant; any trim/AOT/compiler warning fails it, as in `make build`.
# The static link's notes about dlopen/getaddrinfo/getpw* in static glibc are linker output, not
# IL or CS warnings (see toolchains/linux-x64-static.props).
$(DIST_PUBLISH_TARGETS): dist-publish-%: dist-toolchains
	@rm -rf $(DIST_PUBLISH)/$* && mkdir -p $(DIST_PUBLISH)/$*
	dotnet publish src/Proxy.Native/Proxy.Native.csproj -c Release -r $(call dist_rid,$*) -nologo \
	    -p:CustomBeforeMicrosoftCommonProps=$(CURDIR)/toolchains/$*.props \
	    --artifacts-path $(DIST_OBJ)/$* -o $(DIST_PUBLISH)/$* 2>&1 | tee $(DIST_PUBLISH)/$*/publish.log
	@if grep -qE 'warning (IL|CS)[0-9]+' $(DIST_PUBLISH)/$*/publish.log; then \
	    echo "trim/AOT warnings in the $* publish (see $(DIST_PUBLISH)/$*/publish.log)"; exit 1; fi

## dist-binaries: the three binaries, named with the version, checked to print it
dist-binaries: $(DIST_PUBLISH_TARGETS)
	@rm -rf $(DIST_DIR) && mkdir -p $(DIST_DIR)
	@for v in $(DIST_VARIANTS); do \
	    install -m 0755 $(DIST_PUBLISH)/$$v/meshedge $(DIST_DIR)/meshedge-$(DIST_VERSION)-$$v; done
	@for v in linux-x64 linux-x64-static; do \
	    out="$$($(DIST_DIR)/meshedge-$(DIST_VERSION)-$$v version)"; echo "$$v: $$out"; \
	    case "$$out" in "meshedge $(DIST_VERSION) (commit "*) ;; \
	        *) echo "$$v does not report version $(DIST_VERSION)"; exit 1 ;; esac; done
	@readelf -h $(DIST_DIR)/meshedge-$(DIST_VERSION)-linux-arm64 | grep -q "Machine: *AArch64" \
	    || { echo "linux-arm64 is not an aarch64 binary"; exit 1; }

## dist-packages: .deb (dpkg-deb) and .rpm (rpmbuild) for amd64/x86_64 and arm64/aarch64
dist-packages: dist-binaries
	@export MAINTAINER="$(DIST_MAINTAINER)"; \
	packaging/deb/build-deb.sh --binary $(DIST_DIR)/meshedge-$(DIST_VERSION)-linux-x64 --arch amd64 \
	    --version $(DIST_VERSION) --release $(DIST_RELEASE) --out $(DIST_DIR); \
	packaging/deb/build-deb.sh --binary $(DIST_DIR)/meshedge-$(DIST_VERSION)-linux-arm64 --arch arm64 \
	    --version $(DIST_VERSION) --release $(DIST_RELEASE) --out $(DIST_DIR); \
	packaging/rpm/build-rpm.sh --binary $(DIST_DIR)/meshedge-$(DIST_VERSION)-linux-x64 --arch x86_64 \
	    --version $(DIST_VERSION) --release $(DIST_RELEASE) --out $(DIST_DIR); \
	packaging/rpm/build-rpm.sh --binary $(DIST_DIR)/meshedge-$(DIST_VERSION)-linux-arm64 --arch aarch64 \
	    --version $(DIST_VERSION) --release $(DIST_RELEASE) --out $(DIST_DIR)

dist-clean:
	rm -rf $(DIST_DIR) $(DIST_PUBLISH) $(DIST_OBJ)
