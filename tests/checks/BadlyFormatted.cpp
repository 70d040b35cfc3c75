// Planted violation for the format check's own test: not the layout .clang-format describes.
int   badlyFormatted( int x ){return x*2 ;}
