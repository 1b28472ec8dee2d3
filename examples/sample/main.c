/* youth-sample-services REGISTRY RULES.yaml: adds the programme's services to the sample
 * census (run by `make sample`). */
#include "services.h"

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s REGISTRY RULES.yaml\n", argv[0]);
		return 2;
	}
	youth_registry *reg;
	if (youth_registry_open(&reg, argv[1], 0) < 0) {
		fprintf(stderr, "%s\n", youth_error_last()->message);
		return 1;
	}
	int rc = sample_services(reg, argv[2], stderr);
	youth_registry_close(reg);
	return rc < 0 ? 1 : 0;
}
