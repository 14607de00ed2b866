// Deliberately allocates: the no-heap guard must refuse to link this image.
#include <cstdlib>
int main() {
    void* volatile p = std::malloc(64);
    std::free(p);
    int* volatile q = new int(1);
    delete q;
    return 0;
}
